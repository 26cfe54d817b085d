import type { TicketRecord, TicketRunState } from '../batch/batchTypes';

// Pure text for the batch UI (no `vscode` import), so it is unit-tested without an extension host.

/** What the Tickets view needs to show one ticket of the current (or last) batch. */
export type TicketRunView = Pick<TicketRecord, 'id' | 'tier' | 'model' | 'state' | 'costUsd' | 'detail'>;

/** A codicon per run state; `~spin` animates the running ones. */
export const RUN_STATE_ICONS: Readonly<Record<TicketRunState, string>> = {
  queued: 'clock',
  running: 'sync~spin',
  reviewing: 'eye',
  done: 'pass',
  failed: 'error',
  blocked: 'circle-slash',
  cancelled: 'debug-stop',
};

export function isActive(state: TicketRunState): boolean {
  return state === 'queued' || state === 'running' || state === 'reviewing';
}

/** Dollars with enough digits that a cheap call is not shown as $0.00. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return '$?';
  if (usd === 0) return '$0';
  return usd < 1 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

/** The tree item's description while or after a ticket runs: "fast · running · $0.012". */
export function runDescription(run: TicketRunView): string {
  return [run.tier ?? run.model, run.state, formatUsd(run.costUsd)].join(' · ');
}

/** The tree item's description for a ticket with a "Set Model" pick and no run yet. */
export function pickDescription(pick: string): string {
  return `pick: ${pick}`;
}

/** The one-line summary in the progress notification: "2 of 5 finished · 1 running · $0.034". */
export function progressLine(records: readonly TicketRunView[], batchCostUsd: number | null): string {
  const finished = records.filter((r) => !isActive(r.state)).length;
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
