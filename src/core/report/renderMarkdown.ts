import { formatTokens, formatUsd } from '../vocabulary/amounts';
import { batchStateLabel } from '../vocabulary/batchStates';
import { LIFECYCLE_LABELS } from '../vocabulary/ticketStates';
import { describeUnknownOutcomes, escapeCell } from './budgetStatus';
import type { BatchReport, Report, TicketReportRow } from './reportModel';

export interface MarkdownOptions {
  /** IANA zone for the times shown; default the machine's (people read their own clock; JSON keeps ISO). */
  readonly timeZone?: string;
}

/** "2 Dec 2026, 14:05" in the reader's zone; an unparseable stored time is shown as it is. */
export function localTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return cell(iso);
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(date);
}

const pctOrDash = (pct: number | null): string => (pct === null ? '–' : `${pct.toFixed(1)}%`);
const cell = (text: string): string => escapeCell(text);

function table(head: readonly string[], align: readonly ('l' | 'r')[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function ticketTable(tickets: readonly TicketReportRow[]): string[] {
  return table(
    ['Ticket', 'Class', 'Tier path', 'Status', 'Tokens', 'Cost', 'Fix loops', 'Review', 'Gates'],
    ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'l', 'l'],
    tickets.map((t) => [
      cell(t.title ? `${t.id} ${t.title}` : t.id),
      cell(t.score === null ? t.complexityClass : `${t.complexityClass} (${t.score})`),
      cell(t.tierPath.join(' → ') || '–'),
      cell(LIFECYCLE_LABELS[t.lifecycle]),
      formatTokens(t.tokens),
      formatUsd(t.costUsd),
      String(t.fixLoops),
      cell(t.reviewLevel === null ? '–' : `${t.reviewLevel} ${t.reviewResult ?? ''}${t.findings > 0 ? `, ${t.findings} findings` : ''}`.trim()),
      cell(t.gates.join(', ') || '–'),
    ]),
  );
}

function batchSection(b: BatchReport, timeZone: string | undefined): string[] {
  const lines = [`# Flotilla batch ${cell(b.id)}${b.simulated ? ' (simulated)' : ''}`, ''];
  lines.push(`${cell(batchStateLabel(b.status))}, ${cell(b.mode)} mode, started ${localTime(b.createdAt, timeZone)}, last update ${localTime(b.updatedAt, timeZone)}`, '');
  if (b.simulated) lines.push('Ran against the simulated model: nothing was billed; costs are what the same calls would cost with Claude.', '');
  lines.push('## Tickets', '', ...ticketTable(b.tickets), '');
  lines.push('## Totals', '');
  const engines = [...new Set(b.tickets.flatMap((t) => t.engines))];
  if (engines.length > 0) lines.push(`- Worker engine: ${engines.map(cell).join(', ')}`);
  lines.push(`- Tokens: ${formatTokens(b.totals.tokens)} (${b.totals.tokens})`);
  lines.push(`- Cost: ${formatUsd(b.totals.costUsd)}${b.simulated ? ' (simulated, not billed)' : ''}`);
  const unknown = describeUnknownOutcomes(b.unknownOutcomes);
  if (unknown !== null) lines.push(`- ${cell(unknown.charAt(0).toUpperCase() + unknown.slice(1))}`);
  if (b.totals.cacheReadShare !== null) lines.push(`- Prompt tokens read from cache: ${Math.round(b.totals.cacheReadShare * 100)}%`);
  const a = b.analysis;
  if (a.singleAgentEstimateUsd !== null) {
    lines.push(`- Single-agent estimate (one run per ticket): ${formatUsd(a.singleAgentEstimateUsd)}; this batch ${formatUsd(a.orchestratedUsd)}, ${pctOrDash(a.savingsPct)} saved`);
  } else {
    lines.push('- Single-agent comparison: not available (the batch did not finish)');
  }
  if (a.routingSavingsVsStrongPct !== null) lines.push(`- Routing saved ${pctOrDash(a.routingSavingsVsStrongPct)} vs. running every ticket on the strong tier`);
  return [...lines, ''];
}

/** The router's A/B view; statistics only where both tiers have enough finished tickets to mean something. */
function routingAbSection(comparisons: Report['metrics']['routingAb']): string[] {
  const lines = ['## Routing A/B (cheaper tier vs. the next one up)', ''];
  const rate = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
  const ready = comparisons.filter((c) => c.enoughSamples);
  if (ready.length > 0) {
    lines.push(
      ...table(
        ['Class', 'Cheaper', 'First-pass', 'Next tier', 'First-pass', 'p-value', 'Cost ratio', 'Significant'],
        ['l', 'l', 'r', 'l', 'r', 'r', 'r', 'l'],
        ready.map((c) => [c.complexityClass, `${c.cheaper.tier} (n=${c.cheaper.attempts})`, rate(c.cheaper.successRate), `${c.incumbent.tier} (n=${c.incumbent.attempts})`, rate(c.incumbent.successRate), c.pValue.toFixed(3), c.costRatio === null ? '–' : c.costRatio.toFixed(2), c.significant ? 'yes' : 'no']),
      ),
      '',
    );
  }
  for (const c of comparisons.filter((x) => !x.enoughSamples)) {
    lines.push(`- ${c.complexityClass}, ${c.cheaper.tier} vs. ${c.incumbent.tier}: not enough samples yet (${c.cheaper.tier} n=${c.cheaper.attempts}, ${c.incumbent.tier} n=${c.incumbent.attempts}); the comparison is shown from ${c.samplesNeeded} finished tickets on each tier.`);
  }
  return [...lines, ''];
}

/** The report as Markdown: the batch, a comparison across batches, what the metrics suggest. */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const { timeZone } = options;
  const lines = batchSection(report.batch, timeZone);
  lines.push('## All batches', '');
  lines.push(
    ...table(
      ['Batch', 'Started', 'Status', 'Mode', 'Done', 'Fix loops', 'Escalations', 'Tokens', 'Cost', 'Single-agent est.', 'Saved'],
      ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      report.comparison.map((c) => [
        c.id === report.batch.id ? `**${cell(c.id)}**` : cell(c.id),
        localTime(c.createdAt, timeZone),
        cell(batchStateLabel(c.status)),
        cell(c.mode),
        `${c.done}/${c.tickets}`,
        String(c.fixLoops),
        String(c.escalations),
        formatTokens(c.tokens),
        `${formatUsd(c.costUsd)}${c.simulated ? ' (simulated)' : ''}`,
        c.singleAgentEstimateUsd === null ? '–' : formatUsd(c.singleAgentEstimateUsd),
        pctOrDash(c.savingsPct),
      ]),
    ),
    '',
  );
  const m = report.metrics;
  lines.push('## Metrics (all batches, whole ledger)', '');
  const simulated = m.simulatedCalls > 0 ? ` (${m.simulatedCalls} of them simulated, ${formatUsd(m.simulatedCostUsd)} not billed)` : '';
  lines.push(`${m.calls} model calls, ${formatUsd(m.costUsd)}${simulated}; response cache hit rate ${m.cacheHitRate === null ? '–' : `${Math.round(m.cacheHitRate * 100)}%`}`, '');
  const unknownCalls = describeUnknownOutcomes({ calls: m.openReservations, atMostUsd: m.openReservedUsd, unpricedCalls: 0 });
  if (unknownCalls !== null) lines.push(`Besides these, ${unknownCalls}.`, '');
  if (m.modelMix.length > 0) {
    lines.push(...table(['Model', 'Calls', 'Cost', 'Share of cost'], ['l', 'r', 'r', 'r'], m.modelMix.map((x) => [cell(x.model), String(x.calls), formatUsd(x.costUsd), `${Math.round(x.costShare * 100)}%`])), '');
  }
  lines.push(...(m.suggestions.length > 0 ? m.suggestions.map((s) => `- ${cell(s)}`) : ['No suggestions: nothing stands out yet.']), '');
  if (m.routingAb.length > 0) lines.push(...routingAbSection(m.routingAb));
  if (report.problems.length > 0) lines.push('## Problems while reading storage', '', ...report.problems.map((p) => `- ${cell(p)}`), '');
  lines.push(`_Generated ${localTime(report.generatedAt, timeZone)} (local time)_`, '');
  return lines.join('\n');
}
