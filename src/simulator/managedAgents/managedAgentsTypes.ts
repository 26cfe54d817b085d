import type { BetaSelfHostedWork } from '@anthropic-ai/sdk/resources/beta/environments/work';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import type { BilledUsage, RecordedRequest } from '../simulatorTypes';

// Public contract of the simulated Managed Agents control plane (agents, self-hosted environments
// with their work queue, sessions). The wire shapes are the SDK's own types.

export interface ManagedAgentsOptions {
  /** How long each model request of a session takes (default 0; benchmarks use ≥ 1000). */
  modelTurnMs?: number;
  /** Lease length a heartbeat extends to, in seconds (default 90, what the SDK's worker assumes). */
  leaseTtlSeconds?: number;
  /** max_tokens of every model request a session makes (default 8192). */
  maxTokens?: number;
}

/** What a test can ask the platform directly (the Console's view, and the platform's own books). */
export interface ManagedAgentsControl {
  /** An environment's key, as a person would copy it from the Console. */
  environmentKey(environmentId: string): string;
  /** A session as the API returns it, its full event history, and what it was billed. */
  session(sessionId: string): { readonly wire: BetaManagedAgentsSession; readonly events: readonly BetaManagedAgentsSessionEvent[]; readonly billed: BilledUsage };
  /** Every session, oldest first. */
  sessionIds(): readonly string[];
  /** Every work item of a session, and who claimed each (a lapsed lease shows as a second claim). */
  workOf(sessionId: string): readonly { readonly work: BetaSelfHostedWork; readonly claims: readonly { readonly workerId: string | null; readonly at: number }[] }[];
  /** Leases that lapsed and went back to the queue. */
  readonly reclaims: number;
  /** Every model request sessions made, as the responder saw it. */
  readonly modelRequests: readonly RecordedRequest[];
}
