import type { TicketRecord } from '../batch/batchTypes';
import { formatUsd } from '../vocabulary/amounts';
import { isActiveRunState } from '../vocabulary/ticketStates';

// Pure text for the batch UI (no `vscode` import), so it is unit-tested without an extension host.

/** What the Tickets view needs to show one ticket of the current (or last) batch of this window. */
export type TicketRunView = Pick<TicketRecord, 'id' | 'tier' | 'model' | 'state' | 'costUsd' | 'detail'> & {
  /** The batch it ran in: the tree prefers the stored state of that batch once it has been read. */
  readonly batchId: string;
};

/** The tree item's description for a ticket with a "Set Model" pick and no run yet. */
export function pickDescription(pick: string): string {
  return `pick: ${pick}`;
}

/** The one-line summary in the progress notification: "2 of 5 finished · 1 running · $0.034". */
export function progressLine(records: readonly Pick<TicketRecord, 'state'>[], batchCostUsd: number | null): string {
  const finished = records.filter((r) => !isActiveRunState(r.state)).length;
  const running = records.filter((r) => r.state === 'running' || r.state === 'reviewing').length;
  const failed = records.filter((r) => r.state === 'failed' || r.state === 'blocked').length;
  const parts = [`${finished} of ${records.length} finished`];
  if (running > 0) parts.push(`${running} running`);
  if (failed > 0) parts.push(`${failed} failed`);
  parts.push(formatUsd(batchCostUsd));
  return parts.join(' · ');
}

/** What the budget allows this batch, for the confirmation; null limits are "no limit". */
export interface BudgetView {
  readonly batchUsd: number | null;
  readonly monthlyUsd: number | null;
  readonly monthSpentUsd: number;
}

/** Which limit the worst case would cross, if any. */
export function overBudget(capUsd: number, budget: BudgetView): 'batch' | 'monthly' | undefined {
  if (budget.batchUsd !== null && capUsd > budget.batchUsd) return 'batch';
  if (budget.monthlyUsd !== null && budget.monthSpentUsd + capUsd > budget.monthlyUsd) return 'monthly';
  return undefined;
}
