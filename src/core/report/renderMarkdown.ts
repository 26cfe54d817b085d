import { escapeCell, formatTokens, formatUsd } from './budgetStatus';
import type { BatchReport, Report, TicketReportRow } from './reportModel';

const usdOrUnknown = (usd: number | null): string => (usd === null ? 'unknown' : formatUsd(usd));
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
      cell(t.status),
      formatTokens(t.tokens),
      usdOrUnknown(t.costUsd),
      String(t.fixLoops),
      cell(t.reviewLevel === null ? '–' : `${t.reviewLevel} ${t.reviewResult ?? ''}${t.findings > 0 ? `, ${t.findings} findings` : ''}`.trim()),
      cell(t.gates.join(', ') || '–'),
    ]),
  );
}

function batchSection(b: BatchReport): string[] {
  const lines = [`# Flotilla batch ${cell(b.id)}`, '', `${cell(b.status)}, ${cell(b.mode)} mode, started ${b.createdAt}, last update ${b.updatedAt}`, ''];
  lines.push('## Tickets', '', ...ticketTable(b.tickets), '');
  lines.push('## Totals', '');
  const engines = [...new Set(b.tickets.flatMap((t) => t.engines))];
  if (engines.length > 0) lines.push(`- Worker engine: ${engines.map(cell).join(', ')}`);
  lines.push(`- Tokens: ${formatTokens(b.totals.tokens)} (${b.totals.tokens})`);
  lines.push(`- Cost: ${usdOrUnknown(b.totals.costUsd)}`);
  if (b.totals.cacheReadShare !== null) lines.push(`- Prompt tokens read from cache: ${Math.round(b.totals.cacheReadShare * 100)}%`);
  const a = b.analysis;
  if (a.singleAgentEstimateUsd !== null) {
    lines.push(`- Single-agent estimate (one run per ticket): ${formatUsd(a.singleAgentEstimateUsd)}; this batch ${usdOrUnknown(a.orchestratedUsd)}, ${pctOrDash(a.savingsPct)} saved`);
  } else {
    lines.push('- Single-agent comparison: not available (the batch did not finish)');
  }
  if (a.routingSavingsVsStrongPct !== null) lines.push(`- Routing saved ${pctOrDash(a.routingSavingsVsStrongPct)} vs. running every ticket on the strong tier`);
  return [...lines, ''];
}

/** The report as Markdown: the batch, a comparison across batches, what the metrics suggest. */
export function renderMarkdown(report: Report): string {
  const lines = batchSection(report.batch);
  lines.push('## All batches', '');
  lines.push(
    ...table(
      ['Batch', 'Started', 'Status', 'Mode', 'Done', 'Fix loops', 'Escalations', 'Tokens', 'Cost', 'Single-agent est.', 'Saved'],
      ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      report.comparison.map((c) => [
        c.id === report.batch.id ? `**${cell(c.id)}**` : cell(c.id),
        c.createdAt.slice(0, 16).replace('T', ' '),
        cell(c.status),
        cell(c.mode),
        `${c.done}/${c.tickets}`,
        String(c.fixLoops),
        String(c.escalations),
        formatTokens(c.tokens),
        usdOrUnknown(c.costUsd),
        c.singleAgentEstimateUsd === null ? '–' : formatUsd(c.singleAgentEstimateUsd),
        pctOrDash(c.savingsPct),
      ]),
    ),
    '',
  );
  const m = report.metrics;
  lines.push('## Metrics (all batches, whole ledger)', '');
  lines.push(`${m.calls} model calls, ${formatUsd(m.costUsd)}; response cache hit rate ${m.cacheHitRate === null ? '–' : `${Math.round(m.cacheHitRate * 100)}%`}`, '');
  if (m.modelMix.length > 0) {
    lines.push(...table(['Model', 'Calls', 'Cost', 'Share of cost'], ['l', 'r', 'r', 'r'], m.modelMix.map((x) => [cell(x.model), String(x.calls), formatUsd(x.costUsd), `${Math.round(x.costShare * 100)}%`])), '');
  }
  lines.push(...(m.suggestions.length > 0 ? m.suggestions.map((s) => `- ${cell(s)}`) : ['No suggestions: nothing stands out yet.']), '');
  if (m.routingAb.length > 0) {
    lines.push('## Routing A/B (cheaper tier vs. the next one up)', '');
    const rate = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
    lines.push(
      ...table(
        ['Class', 'Cheaper', 'First-pass', 'Next tier', 'First-pass', 'p-value', 'Cost ratio', 'Significant'],
        ['l', 'l', 'r', 'l', 'r', 'r', 'r', 'l'],
        m.routingAb.map((c) => [c.complexityClass, `${c.cheaper.tier} (n=${c.cheaper.attempts})`, rate(c.cheaper.successRate), `${c.incumbent.tier} (n=${c.incumbent.attempts})`, rate(c.incumbent.successRate), c.pValue.toFixed(3), c.costRatio === null ? '–' : c.costRatio.toFixed(2), c.significant ? 'yes' : 'no']),
      ),
      '',
    );
  }
  if (report.problems.length > 0) lines.push('## Problems while reading storage', '', ...report.problems.map((p) => `- ${cell(p)}`), '');
  lines.push(`_Generated ${report.generatedAt}_`, '');
  return lines.join('\n');
}
