import { softAlertReached } from '../store/budget';
import { formatTokens, formatUsd } from '../vocabulary/amounts';
import { forecastMonthEnd, monthLabel } from './monthForecast';
import { countedSpendUsd, type MonthSpendSnapshot, type SpendShare } from './monthSpendTally';
import type { UnknownOutcomes } from '../store/openReservations';

export type BudgetDisplay = 'usd' | 'tokens';
export type BudgetLevel = 'ok' | 'warning' | 'error';

export interface BudgetStatusInput {
  /** Null while the ledger is still being read. */
  readonly spend: MonthSpendSnapshot | null;
  /** `flotilla.budget.monthlyUsd`; 0 means no limit. */
  readonly monthlyUsd: number;
  readonly softAlertPercent: number;
  /** `tokens` for users on a subscription plan, who care about volume rather than dollars. */
  readonly display: BudgetDisplay;
  readonly running: boolean;
  readonly nowMs: number;
}

export interface BudgetStatusView {
  readonly text: string;
  /** Markdown for the tooltip. */
  readonly tooltip: string;
  /** warning at the soft limit, error at the hard one (dollars only: a plan has no dollar limit here). */
  readonly level: BudgetLevel;
}

/**
 * "outcome unknown, at most $0.0042 (2 calls …)": how reports, `flotilla status` and the status bar
 * name calls whose reservation no usage record closed. Null when there are none.
 */
export function describeUnknownOutcomes(unknown: UnknownOutcomes): string | null {
  if (unknown.calls === 0) return null;
  const calls = unknown.calls === 1 ? '1 call' : `${unknown.calls} calls`;
  const priced = unknown.calls - unknown.unpricedCalls;
  const bound =
    unknown.unpricedCalls === 0
      ? `at most ${formatUsd(unknown.atMostUsd)}`
      : priced === 0
        ? 'no bound (a model without a known price)'
        : `at most ${formatUsd(unknown.atMostUsd)} plus ${unknown.unpricedCalls} on a model without a known price`;
  return `outcome unknown, ${bound} (${calls} cut off before ${unknown.calls === 1 ? 'its' : 'their'} usage was recorded; counted at that worst case)`;
}

/** A limit as the user typed it: `$500`, not `$500.00`. */
function formatLimit(usd: number): string {
  return Number.isInteger(usd) ? `$${usd.toLocaleString('en-US')}` : formatUsd(usd);
}

/** The status bar item, e.g. `$(pulse) $12.40 / $500`, or `$(sync~spin) 1.2M tokens` while a batch runs. */
export function budgetStatusView(input: BudgetStatusInput): BudgetStatusView {
  const icon = input.running ? '$(sync~spin)' : '$(pulse)';
  const limit = input.monthlyUsd > 0 ? input.monthlyUsd : null;
  if (input.spend === null) return { text: `${icon} Flotilla`, tooltip: 'Flotilla: reading this month’s usage…', level: 'ok' };
  const spend = input.spend;
  const counted = countedSpendUsd(spend);
  const amount = input.display === 'tokens' ? `${formatTokens(spend.tokens)} tokens` : `${formatUsd(counted)}${limit === null ? '' : ` / ${formatLimit(limit)}`}`;
  const level: BudgetLevel = input.display === 'tokens' ? 'ok' : limit !== null && counted >= limit ? 'error' : softAlertReached(counted, limit, input.softAlertPercent) ? 'warning' : 'ok';
  return { text: `${icon} ${amount}`, tooltip: budgetTooltip(input, spend, limit, level), level };
}

function budgetTooltip(input: BudgetStatusInput, spend: MonthSpendSnapshot, limit: number | null, level: BudgetLevel): string {
  const tokens = input.display === 'tokens';
  const lines: string[] = [`**Flotilla usage, ${monthLabel(spend.month)}**${input.running ? ' — a batch is running' : ''}`, ''];
  const total = tokens ? `${formatTokens(spend.tokens)} tokens in ${spend.calls} calls` : `${formatUsd(spend.costUsd)} in ${spend.calls} calls (${formatTokens(spend.tokens)} tokens)`;
  lines.push(`This month: ${total}${!tokens && limit !== null ? ` of ${formatLimit(limit)}` : ''}`, '');
  if (level === 'error') lines.push('$(error) The monthly limit is reached: new model calls will not start.', '');
  else if (level === 'warning') lines.push(`$(warning) ${input.softAlertPercent}% of the monthly limit is spent.`, '');
  const forecastUsd = forecastMonthEnd(spend.costUsd, spend.month, input.nowMs);
  const forecastTokens = forecastMonthEnd(spend.tokens, spend.month, input.nowMs);
  lines.push(`Month-end forecast at this pace: ${tokens ? `${formatTokens(Math.round(forecastTokens))} tokens` : formatUsd(forecastUsd)}`, '');
  if (spend.unpricedCalls > 0) lines.push(`${spend.unpricedCalls} calls have no known price; their cost is not included.`, '');
  const unknown = describeUnknownOutcomes(spend.unknown);
  if (unknown !== null) lines.push(`$(warning) Besides these, ${unknown}${tokens ? '' : '; included in the amount shown'}.`, '');
  if (spend.simulated.calls > 0) {
    const simulated = tokens ? `${formatTokens(spend.simulated.tokens)} tokens` : `${formatUsd(spend.simulated.costUsd)} at Claude prices`;
    lines.push(`Simulated model (not billed, not in the totals above): ${spend.simulated.calls} calls, ${simulated}`, '');
  }
  lines.push(...shareTable('Model', spend.byModel, tokens, (k) => k), '');
  lines.push(...shareTable('Workspace', spend.byWorkspace, tokens, workspaceLabel));
  // What a click does is the status bar item's to say (it knows its command).
  return lines.join('\n');
}

function shareTable(title: string, shares: readonly SpendShare[], tokens: boolean, label: (key: string) => string): string[] {
  if (shares.length === 0) return [`_No ${title.toLowerCase()} usage yet._`];
  const rows = shares.map((s) => `| ${escapeCell(label(s.key))} | ${tokens ? formatTokens(s.tokens) : formatUsd(s.costUsd)} | ${s.calls} |`);
  return [`| ${title} | ${tokens ? 'Tokens' : 'Cost'} | Calls |`, '|---|---:|---:|', ...rows];
}

/** The last folder name: workspace keys are absolute paths, too long for a tooltip. */
export function workspaceLabel(key: string): string {
  const parts = key.split(/[\\/]/).filter((p) => p !== '');
  return parts.at(-1) ?? key;
}

/** Model ids and paths are user data: keep them from breaking the table or adding links. */
export function escapeCell(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
