import { readDecisions, type TicketDecision } from '../store/batchExtra';
import type { Decision } from '../vocabulary/ticketStates';
import type { BatchStateStore } from '../store/batchStateStore';

export interface DecisionChange {
  readonly ticket?: Decision;
  readonly into?: string;
  readonly commit?: string;
  readonly branchTip?: string;
  readonly file?: { readonly path: string; readonly decision: Decision };
}

/** Records a decision atomically through the store, so it survives a reload and the next review sees it. */
export async function recordDecision(store: BatchStateStore, batchId: string, ticketId: string, change: DecisionChange, now: () => Date = () => new Date()): Promise<void> {
  await store.update(batchId, (state) => {
    const all = readDecisions(state);
    const previous = all[ticketId];
    const files = { ...(previous?.files ?? {}), ...(change.file ? { [change.file.path]: change.file.decision } : {}) };
    const ticket = change.ticket ?? previous?.ticket;
    const into = change.into ?? previous?.into;
    const commit = change.commit ?? previous?.commit;
    const branchTip = change.branchTip ?? previous?.branchTip;
    const next: TicketDecision = { ...(ticket ? { ticket } : {}), ...(into ? { into } : {}), ...(commit ? { commit } : {}), ...(branchTip ? { branchTip } : {}), at: now().toISOString(), files };
    return { ...state, extra: { ...state.extra, reviewDecisions: { ...all, [ticketId]: next } } };
  });
}
