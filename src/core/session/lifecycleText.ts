import type { Tier } from '../llm/usageRecord';
import { formatUsd } from './runStateText';
import { LIFECYCLE_LABELS, type TicketLifecycle, type TicketLifecycleEntry } from './ticketLifecycle';

// Pure text for the Tickets view's lifecycle rows (no `vscode` import), unit-tested without a host.

/** A ticket's latest lifecycle with the tier its last attempt ran on (what a Tickets view row shows). */
export interface StoredTicketState extends TicketLifecycleEntry {
  readonly tier: Tier | null;
}

/** A codicon and an optional theme colour per lifecycle state. */
export const LIFECYCLE_ICONS: Readonly<Record<TicketLifecycle, readonly [string, string | undefined]>> = {
  queued: ['clock', undefined],
  running: ['sync~spin', undefined],
  awaitingReview: ['eye', 'charts.blue'],
  accepted: ['pass-filled', 'testing.iconPassed'],
  rejected: ['circle-slash', undefined],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['debug-stop', undefined],
  blocked: ['circle-slash', 'testing.iconFailed'],
  interrupted: ['debug-pause', 'charts.yellow'],
};

/**
 * The tree item's contextValue per state, which the menus key on: Review, Accept & Merge and Reject
 * on a ticket awaiting review, Retry on the finished ones, nothing to run again once accepted.
 */
export const LIFECYCLE_CONTEXT: Readonly<Record<TicketLifecycle, string>> = {
  // Running in another process (the CLI): nothing this window could cancel.
  queued: 'ticket',
  running: 'ticket',
  awaitingReview: 'ticketAwaitingReview',
  accepted: 'ticketAccepted',
  rejected: 'ticketFinished',
  failed: 'ticketFinished',
  cancelled: 'ticketFinished',
  blocked: 'ticketFinished',
  interrupted: 'ticketFinished',
};

/** "fast · awaiting review · $0.004"; a rejected or failed ticket keeps its last result in view. */
export function lifecycleDescription(entry: StoredTicketState): string {
  return [entry.tier, LIFECYCLE_LABELS[entry.state], formatUsd(entry.costUsd)].filter(Boolean).join(' · ');
}
