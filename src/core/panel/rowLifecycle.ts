import type { Lifecycle, RowState } from './panelSnapshot';

/**
 * Where a ticket is in its life (ARCHITECTURE.md idea 10), as its row in the panel says it: the
 * batch's run state, the review decision taken on it since, and what it still waits for.
 * open → running → awaiting review → accepted / rejected, or failed with its reason.
 */
export function rowLifecycle(state: RowState, decision: 'accepted' | 'rejected' | null, waitingOn: readonly string[]): Lifecycle {
  switch (state) {
    case 'queued':
      return waitingOn.length > 0 ? 'waiting' : 'queued';
    case 'reviewing':
      return 'gates';
    case 'done':
      return decision ?? 'awaiting-review';
    default:
      return state;
  }
}

/** Whether the ticket's `detail` is the reason it stopped (shown beside its state, not under its title). */
export function stoppedWithReason(lifecycle: Lifecycle): boolean {
  return lifecycle === 'failed' || lifecycle === 'blocked' || lifecycle === 'cancelled' || lifecycle === 'interrupted';
}
