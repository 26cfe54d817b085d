/**
 * Builds `bench/results.json` from the records in bench/out: one key per section named by issue 15,
 * `null` plus an entry in `reasons` for a section or figure nobody has measured yet.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { BENCH_SECTIONS, type BenchRecord, type BenchSection } from './benchResults';

/** Figures each fixed-shape section must name (the issue's keys); absent ones become null with a reason. */
export const SECTION_KEYS: Partial<Record<BenchSection, readonly string[]>> = {
  scheduling: ['ready_over_bound', 'waves_over_bound'],
  rate_limit: ['rate_over_limit', 'http_429', 'failed_tickets'],
  overhead: ['cpu_ms_per_ticket', 'peak_rss_mb_100'],
  budget: ['spent_over_limit', 'exceeded'],
  editor: ['activation_ms', 'bundle_kb', 'tickets_5000_ms', 'panel_update_200_ms'],
};

/** Sections whose value is a list: the record's `entries` is the section, the rest goes to `<section>_summary`. */
const LIST_SECTIONS: ReadonlySet<BenchSection> = new Set(['batching']);

/** Why a figure measured outside this folder's benches may be missing. */
const KEY_REASONS: Readonly<Record<string, string>> = {
  'editor.activation_ms': 'measured in the real extension host by bench/activation.bench.ts (or npm run test:integration); not recorded',
  'editor.panel_update_200_ms': "measured by the batch panel's bench (issue 13); not recorded yet",
};

/** Who measures a section, for the reason given while it is missing. */
const OWNERS: Partial<Record<BenchSection, string>> = {
  engines: 'measured by the engines bench of issue 14, built-in loop vs Claude Code',
};

export interface MergeInput {
  readonly records: readonly BenchRecord[];
  readonly runStartedAt: Date;
  readonly runSeconds: number;
  /** 1-minute load average when the run started (timings on a shared machine depend on it). */
  readonly loadAtStart?: number;
  /** Wall-clock seconds of each bench of this run, by name. */
  readonly benchSeconds?: Readonly<Record<string, number>>;
}

export type BenchResults = Record<string, unknown> & { reasons: Record<string, string>; meta: Record<string, unknown> };

export function mergeResults({ records, runStartedAt, runSeconds, loadAtStart, benchSeconds }: MergeInput): BenchResults {
  const reasons: Record<string, string> = {};
  const earlier: string[] = [];
  const results: BenchResults = {
    meta: {
      date: runStartedAt.toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30), platform: process.platform, node: process.version },
      run_seconds: Math.round(runSeconds),
      bench_seconds: benchSeconds ?? {},
      load_average_1m: { start: loadAtStart ?? null, end: Math.round((loadavg()[0] ?? 0) * 10) / 10 },
      sources: records.map((r) => `${r.section}.${r.source}`),
      recorded_before_this_run: earlier,
    },
    reasons,
  };
  for (const section of BENCH_SECTIONS) {
    const own = records.filter((r) => r.section === section);
    for (const r of own) if (Date.parse(r.recordedAt) < runStartedAt.getTime()) earlier.push(`${section}.${r.source} (${r.recordedAt})`);
    if (own.length === 0) {
      results[section] = null;
      reasons[section] = `not measured yet: no bench wrote bench/out/${section}.*.json${OWNERS[section] ? `; ${OWNERS[section]}` : ''}`;
      continue;
    }
    const merged: Record<string, unknown> = {};
    for (const r of own) {
      Object.assign(merged, r.values);
      for (const [key, text] of Object.entries(r.reasons ?? {})) reasons[`${section}.${key}`] = text;
    }
    if (LIST_SECTIONS.has(section)) {
      const { entries, ...summary } = merged;
      results[section] = Array.isArray(entries) ? entries : null;
      results[`${section}_summary`] = summary;
      continue;
    }
    for (const key of SECTION_KEYS[section] ?? []) {
      if (merged[key] === undefined) merged[key] = null;
      if (merged[key] === null) reasons[`${section}.${key}`] ??= KEY_REASONS[`${section}.${key}`] ?? 'not measured in this run';
    }
    results[section] = merged;
  }
  return results;
}
