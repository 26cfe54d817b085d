import type { LoadedBatch } from '../store/batchStateStore';
import type { StoredBatch } from '../store/batchState';
import { readDecisions, type TicketDecision } from '../store/batchExtra';
import { lifecycleOf, type TicketLifecycle } from '../vocabulary/ticketStates';

/**
 * One ticket's lifecycle (vocabulary/ticketStates.ts) from the stored batch state plus the review
 * decisions, so the tree, the panel and `flotilla status` say the same thing and it survives a window
 * reload. `interrupted`: its batch stopped (crash, closed window) before it finished; a resume runs it.
 */
export interface TicketLifecycleEntry {
  readonly ticketId: string;
  readonly batchId: string;
  readonly state: TicketLifecycle;
  /** Why it failed, is blocked or was stopped; the result line of a finished ticket otherwise. */
  readonly reason: string | null;
  readonly branch: string | null;
  readonly costUsd: number;
  readonly decision: TicketDecision | undefined;
}

/** The lifecycle of every ticket of one batch, in the batch's ticket order. */
export function batchLifecycles(state: StoredBatch, interrupted = state.status === 'interrupted'): TicketLifecycleEntry[] {
  const decisions = readDecisions(state);
  return state.ticketIds.flatMap((id) => {
    const ticket = state.tickets[id];
    if (!ticket) return [];
    const decision = decisions[id];
    return [{ ticketId: id, batchId: state.id, state: lifecycleOf(ticket.status, { decision: decision?.ticket, interrupted }), reason: ticket.reason, branch: ticket.branch, costUsd: ticket.costUsd, decision }];
  });
}

/**
 * Each ticket's latest lifecycle across batches (the newest batch that ran it wins), for views that
 * show one line per ticket file. `batches` may come in any order.
 */
export function latestLifecycles(batches: readonly LoadedBatch[]): Map<string, TicketLifecycleEntry> {
  const newestFirst = [...batches].sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt));
  const latest = new Map<string, TicketLifecycleEntry>();
  for (const { state, interrupted } of newestFirst) {
    for (const entry of batchLifecycles(state, interrupted || state.status === 'interrupted')) {
      if (!latest.has(entry.ticketId)) latest.set(entry.ticketId, entry);
    }
  }
  return latest;
}
