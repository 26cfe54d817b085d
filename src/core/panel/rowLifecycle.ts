import type { TicketLifecycle } from '../session/ticketLifecycle';
import type { Lifecycle, RowState } from './panelSnapshot';

/** The panel's lifecycles are ticketLifecycle.ts's plus the two live refinements; this fails to compile if they drift. */
type Refinement = 'waiting' | 'gates';
const SAME_VOCABULARY: [Exclude<Lifecycle, Refinement>] extends [TicketLifecycle] ? ([TicketLifecycle] extends [Exclude<Lifecycle, Refinement>] ? true : never) : never = true;
void SAME_VOCABULARY;

/**
 * Where a ticket is in its life (ARCHITECTURE.md idea 10), as its row in the panel says it: the
 * batch's run state and the review decision taken on it since, in ticketLifecycle.ts's words, with
 * what a live batch adds — what it still waits for, and whether its gates are running.
 * open → running → awaiting review → accepted / rejected, or failed with its reason.
 */
export function rowLifecycle(state: RowState, decision: 'accepted' | 'rejected' | null, waitingOn: readonly string[]): Lifecycle {
  if (state === 'queued' && waitingOn.length > 0) return 'waiting';
  if (state === 'reviewing') return 'gates';
  return baseLifecycle(state, decision);
}

function baseLifecycle(state: Exclude<RowState, 'reviewing'>, decision: 'accepted' | 'rejected' | null): TicketLifecycle {
  return state === 'done' ? (decision ?? 'awaitingReview') : state;
}
