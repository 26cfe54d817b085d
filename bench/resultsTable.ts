/**
 * The one table `npm run bench` prints at the end: every figure of results.json with its target
 * (issue 15) and whether it was met. A figure that is null shows its reason instead.
 */
import type { BenchResults } from './mergeResults';

type Row = readonly [section: string, figure: string, value: string, target: string, verdict: string];

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const fixed = (v: unknown, digits = 3): string => (num(v) === null ? '—' : (v as number).toFixed(digits));
const usd = (v: unknown): string => (num(v) === null ? '—' : `$${(v as number).toFixed(4)}`);
const pct = (v: unknown): string => (num(v) === null ? '—' : `${((v as number) * 100).toFixed(1)}%`);
const verdict = (ok: boolean | null): string => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
const check = (v: unknown, test: (n: number) => boolean): boolean | null => (num(v) === null ? null : test(v as number));

function batchingRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const entries = Array.isArray(results.batching) ? results.batching.map(obj) : [];
  for (const e of entries) {
    const n = num(e.n) ?? 0;
    const aOverB = num(e.shipped_usd) !== null && num(e.single_usd) ? (e.shipped_usd as number) / (e.single_usd as number) : null;
    const aOverC = num(e.shipped_usd) !== null && num(e.all_strong_usd) ? (e.shipped_usd as number) / (e.all_strong_usd as number) : null;
    const aOverD = num(e.shipped_usd) !== null && num(e.no_cache_usd) ? (e.shipped_usd as number) / (e.no_cache_usd as number) : null;
    const target = n === 10 ? '≤ 0.50' : n >= 2 ? '< 1.0' : '';
    const ok = n === 10 ? check(aOverB, (r) => r <= 0.5) : n >= 2 ? check(aOverB, (r) => r < 1) : null;
    rows.push(['batching', `N=${n} (a)/(b) shipped ÷ single`, `${fixed(aOverB)}  (${usd(e.shipped_usd)} vs ${usd(e.single_usd)})`, target, verdict(ok)]);
    rows.push(['batching', `N=${n} (a)/(c), (a)/(d)`, `${fixed(aOverC)}, ${fixed(aOverD)}  (${usd(e.all_strong_usd)}, ${usd(e.no_cache_usd)})`, '', '']);
    const gap = num(e.shipped_solved) !== null && num(e.single_solved) !== null ? (e.single_solved as number) - (e.shipped_solved as number) : null;
    rows.push(['batching', `N=${n} solved (a) vs (b)`, `${pct(e.shipped_solved)} vs ${pct(e.single_solved)}`, 'within 2 pts', verdict(check(gap, (g) => g <= 0.02))]);
  }
  const summary = obj(results.batching_summary);
  if (entries.length > 0) rows.push(['batching', 'break-even N ((a) cheaper than (b) from)', summary.break_even_n === null ? 'never' : String(summary.break_even_n ?? '—'), '≤ 2', verdict(check(summary.break_even_n, (n) => n <= 2))]);
  return rows;
}

function routingRows(results: BenchResults): Row[] {
  const policies = obj(results.routing);
  const cascade = obj(policies.cascade_from_fast);
  const shipped = obj(policies.router_cascade);
  const rows: Row[] = Object.entries(policies).map(([name, v]) => ['routing', `${name}: solved, cost ÷ strong`, `${pct(obj(v).solved)}, ${fixed(obj(v).cost_over_strong)}`, '', '']);
  const notDominated =
    num(shipped.solved) === null || num(cascade.solved) === null ? null : (shipped.solved as number) >= (cascade.solved as number) && (shipped.cost_over_strong as number) <= (cascade.cost_over_strong as number);
  if (rows.length > 0) {
    rows.push(['routing', 'shipped (router_cascade) vs cascade_from_fast', notDominated === null ? '—' : notDominated ? 'not dominated' : 'dominated', 'solved ≥, cost ≤', verdict(notDominated)]);
    const stretch =
      num(shipped.solved) === null || num(cascade.solved) === null ? null : (shipped.cost_over_strong as number) <= 0.45 && (shipped.solved as number) >= (cascade.solved as number) - 0.01;
    rows.push(['routing', 'stretch: shipped cost ÷ strong', fixed(shipped.cost_over_strong), '≤ 0.45, ≤ 1 pt fewer solved', verdict(stretch)]);
  }
  return rows;
}

const FIXED: readonly (readonly [section: string, key: string, format: (v: unknown) => string, target: string, test?: (n: number) => boolean])[] = [
  ['scheduling', 'ready_over_bound', fixed, '≤ 1.10', (n) => n <= 1.1],
  ['scheduling', 'waves_over_bound', fixed, ''],
  ['rate_limit', 'rate_over_limit', fixed, '≥ 0.90', (n) => n >= 0.9],
  ['rate_limit', 'http_429', (v) => String(v ?? '—'), ''],
  ['rate_limit', 'failed_tickets', (v) => String(v ?? '—'), '0', (n) => n === 0],
  ['overhead', 'cpu_ms_per_ticket', (v) => fixed(v, 1), '≤ 50', (n) => n <= 50],
  ['overhead', 'peak_rss_mb_100', (v) => fixed(v, 0), ''],
  ['overhead', 'plain_true_ms', (v) => fixed(v, 1), ''],
  ['overhead', 'sandbox_true_ms', (v) => fixed(v, 1), ''],
  ['overhead', 'sandbox_overhead_ms', (v) => fixed(v, 1), ''],
  ['budget', 'spent_over_limit', fixed, '≥ 0.80', (n) => n >= 0.8],
  ['budget', 'exceeded', (v) => String(v ?? '—'), 'false'],
  ['budget', 'spent_over_limit_claude_code', fixed, '≥ 0.80', (n) => n >= 0.8],
  ['budget', 'exceeded_claude_code', (v) => String(v ?? '—'), 'false'],
  ['editor', 'activation_ms', (v) => fixed(v, 0), ''],
  ['editor', 'bundle_kb', (v) => fixed(v, 0), '≤ 1024', (n) => n <= 1024],
  ['editor', 'tickets_5000_ms', (v) => fixed(v, 0), '< 1000', (n) => n < 1000],
  ['editor', 'panel_update_200_ms', (v) => fixed(v, 1), '< 16', (n) => n < 16],
];

function fixedRows(results: BenchResults): Row[] {
  const nullSections = new Set<string>();
  return FIXED.flatMap(([section, key, format, target, test]): Row[] => {
    if (results[section] === null) {
      if (nullSections.has(section)) return [];
      nullSections.add(section);
      return [[section, '—', `— (${results.reasons[section] ?? 'missing'})`, '', '']];
    }
    const v = obj(results[section])[key];
    const reason = results.reasons[`${section}.${key}`] ?? results.reasons[section];
    if (v === null || v === undefined) return [[section, key, `— (${reason ?? 'missing'})`, target, target ? 'n/a' : '']];
    const ok = key.startsWith('exceeded') ? v === false : test ? check(v, test) : null;
    return [[section, key, format(v), target, target ? verdict(ok) : '']];
  });
}

function engineRows(results: BenchResults): Row[] {
  if (results.engines === null) return [['engines', '—', `— (${results.reasons.engines ?? 'missing'})`, '', '']];
  return Object.entries(obj(results.engines)).map(([engine, v]): Row => {
    if (v === null) return ['engines', engine, `— (${results.reasons[`engines.${engine}`] ?? 'missing'})`, '', ''];
    const e = obj(v);
    return ['engines', engine, `first ${e.first_ticket_tokens ?? '—'} tok, later ${e.later_ticket_tokens ?? '—'} tok, cache read ${pct(e.cache_read_share)}, ${usd(e.usd_per_ticket)}/ticket`, '', ''];
  });
}

export function resultsTable(results: BenchResults): string {
  const sectionOrNull = (name: string, rows: Row[]): Row[] =>
    results[name] === null ? [[name, '—', `— (${results.reasons[name] ?? 'missing'})`, '', '']] : rows;
  const rows: Row[] = [
    ['section', 'figure', 'value', 'target', 'verdict'],
    ...sectionOrNull('batching', batchingRows(results)),
    ...sectionOrNull('routing', routingRows(results)),
    ...fixedRows(results),
    ...engineRows(results),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: Row): string => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
