import type { Tier } from '../llm/usageRecord';
import { formatUsd } from '../vocabulary/amounts';
import { LIFECYCLE_LABELS, lifecycleOf, type TicketLifecycle } from '../vocabulary/ticketStates';
import type { TicketRunView } from './runStateText';
import type { TicketLifecycleEntry } from './ticketLifecycle';

// Pure text for the Tickets view's rows (no `vscode` import), unit-tested without a host.

/** A ticket's latest lifecycle with the tier its last attempt ran on (what a Tickets view row shows). */
export interface StoredTicketState extends TicketLifecycleEntry {
  readonly tier: Tier | null;
}

/** A codicon and an optional theme colour per lifecycle; `~spin` animates the ones that are working. */
export const LIFECYCLE_ICONS: Readonly<Record<TicketLifecycle, readonly [string, string | undefined]>> = {
  queued: ['clock', undefined],
  waiting: ['clock', 'charts.orange'],
  running: ['sync~spin', undefined],
  gates: ['sync~spin', 'charts.blue'],
  awaitingReview: ['eye', 'charts.blue'],
  accepted: ['pass-filled', 'testing.iconPassed'],
  rejected: ['circle-slash', undefined],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['debug-stop', undefined],
  blocked: ['circle-slash', 'testing.iconFailed'],
  interrupted: ['debug-pause', 'charts.yellow'],
};

/**
 * The tree item's contextValue per lifecycle, which the menus key on: Review, Accept & Merge and
 * Reject on a ticket awaiting review, Retry on the finished ones, nothing to run again once accepted.
 * A ticket running in this window is `ticketRunning` instead (Cancel).
 */
export const LIFECYCLE_CONTEXT: Readonly<Record<TicketLifecycle, string>> = {
  // Running in another process (the CLI): nothing this window could cancel.
  queued: 'ticket',
  waiting: 'ticket',
  running: 'ticket',
  gates: 'ticket',
  awaitingReview: 'ticketAwaitingReview',
  accepted: 'ticketAccepted',
  rejected: 'ticketFinished',
  failed: 'ticketFinished',
  cancelled: 'ticketFinished',
  blocked: 'ticketFinished',
  interrupted: 'ticketFinished',
};

/** What a Tickets view row says about a ticket's run, whether live or stored. */
export interface LifecycleFacts {
  /** The tier it runs on; a model picked by id has none, and its model is named instead. */
  readonly tier: Tier | null;
  readonly model?: string;
  readonly lifecycle: TicketLifecycle;
  readonly costUsd: number | null;
}

/** "fast · awaiting review · $0.0042"; a rejected or failed ticket keeps its last result in view. */
export function lifecycleDescription(facts: LifecycleFacts): string {
  return [facts.tier ?? facts.model, LIFECYCLE_LABELS[facts.lifecycle], formatUsd(facts.costUsd)].filter(Boolean).join(' · ');
}

/** A run of this window (live, or its last one) in the lifecycle's words: a done run is awaiting review. */
export function runLifecycleFacts(run: TicketRunView): LifecycleFacts {
  return { tier: run.tier, model: run.model, lifecycle: lifecycleOf(run.state), costUsd: run.costUsd };
}

export function storedLifecycleFacts(entry: StoredTicketState): LifecycleFacts {
  return { tier: entry.tier, lifecycle: entry.state, costUsd: entry.costUsd };
}
