import type { NumstatEntry } from '../git/diff';
import type { Tier, WorkerEngineName } from '../llm/usageRecord';
import type { WorkerEvent } from '../worker/workerEvents';
import type { BatchEndState } from '../vocabulary/batchStates';
import type { TicketRunState } from '../vocabulary/ticketStates';
import type { BatchEstimate } from './batchEstimate';

/** One stage a ticket went through (ARCHITECTURE.md execution log: `stages[{stage, model, tokens, costUsd, result}]`). */
export interface StageRecord {
  readonly stage: 'work' | 'fix' | 'review';
  readonly model: string;
  readonly tier: Tier | null;
  readonly tokens: number;
  readonly costUsd: number | null;
  readonly result: string;
  /** Which engine ran a work or fix stage (an addition to the execution log's format). */
  readonly engine?: WorkerEngineName;
}

export interface TierChange {
  readonly tier: Tier | null;
  readonly model: string;
  readonly reason: string;
}

/** Everything Flotilla knows about one ticket of a batch; the UI, the CLI and the logs render it. */
export interface TicketRecord {
  id: string;
  title: string;
  complexityClass: string;
  score: number;
  tier: Tier | null;
  model: string;
  reason: string;
  maxTier: Tier | null;
  state: TicketRunState;
  /** Why it failed, was blocked or cancelled; the summary when done. */
  detail: string;
  stages: StageRecord[];
  fixLoops: number;
  escalations: number;
  /** Every change of model, the first pick included, with its reason. */
  tierHistory: TierChange[];
  review: { level: string; result: string; findings: number } | null;
  /** Where the ticket's branch begins (the base commit, or its dependencies' work); its diff is against this. */
  startCommit?: string | null;
  branch: string | null;
  commit: string | null;
  diffStats: readonly NumstatEntry[];
  costUsd: number | null;
  tokens: number;
  /**
   * Set on a ticket that ended failed or blocked for a reason outside itself (a budget limit, the
   * model unreachable, retries spent, a run that threw, a dependency that stopped so) or was
   * cancelled: a resume runs it again. Absent on tickets that finished on their own merits.
   */
  resumable?: boolean;
}

/** One command gate of a review, as a batch event carries it: the end of its output, not all of it. */
export interface GateReport {
  readonly name: string;
  readonly command: string | null;
  readonly status: string;
  readonly exitCode: number | null;
  readonly durationMs: number;
  /** The last lines of the gate's output (the full tail is in the stored review). */
  readonly outputTail: string;
  readonly reason?: string;
}

/** What the gates and reviewers said about one attempt, and what the batch does next. */
export interface ReviewReport {
  readonly attempt: number;
  readonly model: string;
  readonly passed: boolean;
  readonly level: string;
  readonly summary: string;
  readonly findings: number;
  readonly gates: readonly GateReport[];
  /** After a failure: the fix loop, the move up a tier, or giving up, with the reason. Null when passed. */
  readonly next: string | null;
}

export type BatchEvent =
  | { type: 'batch-started'; batchId: string; baseCommit: string; estimate: BatchEstimate; tickets: readonly TicketRecord[]; simulated: boolean; engine?: { name: WorkerEngineName; reason: string } }
  | { type: 'planning'; status: 'started' | 'done' | 'fallback' | 'skipped'; detail: string }
  | { type: 'ticket-state'; ticket: TicketRecord }
  | { type: 'ticket-escalated'; id: string; from: string; to: string; reason: string }
  | { type: 'worker'; id: string; event: WorkerEvent }
  | { type: 'ticket-reviewed'; id: string; review: ReviewReport }
  | { type: 'cost'; batchCostUsd: number | null; tokens: number }
  | { type: 'batch-finished'; state: BatchEndState; summary: BatchSummary };

export interface BatchSummary {
  readonly batchId: string;
  readonly state: BatchEndState;
  readonly mode: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly concurrency: number;
  readonly simulated: boolean;
  /** The worker engine of the batch and why it was chosen. */
  engine?: { readonly name: WorkerEngineName; readonly reason: string };
  /** The shared planning call, or null in direct mode. */
  readonly planning: { readonly model: string; readonly tokens: number; readonly costUsd: number | null; readonly source: string } | null;
  readonly tickets: readonly TicketRecord[];
  readonly totals: { tokens: number; costUsd: number | null; cacheReadShare: number };
  /** Why the batch stopped before its end (a budget limit, a model-access problem). */
  stopReason?: string;
  /** What to do about it, worded for each front end: an editor command, or an environment variable and flags. */
  stopNextStep?: { readonly editor: string; readonly terminal: string };
  readonly analysis: { orchestratedUsd: number | null; singleAgentEstimateUsd: number | null; savingsPct: number | null; routingSavingsVsStrongPct: number | null };
}
