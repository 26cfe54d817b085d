/**
 * Batching, routing and caching (issue 15, `batching`): the same generated batches of N tickets run
 * through the real engine against the simulator four ways —
 *   (a) shipped: as Flotilla ships (auto mode, routing, shared context, cache breakpoints);
 *   (b) single: each ticket alone on the strong tier, no shared planning, no shared context;
 *   (c) all strong: shipped with every ticket forced to strong (isolates routing);
 *   (d) no cache: shipped with cache breakpoints off (isolates caching).
 * Which tier solves which ticket comes from real issues (kit/benchTickets.ts, seed BENCH_SEED); a
 * wrong fix fails the build gate for real, so fix loops and escalation cost what they cost.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchModeChoice } from '../src/core/vocabulary/batchStates';
import { startSimulator } from '../src/simulator/simulator';
import { writeBenchResult } from './benchResults';
import { loadCalibration, locateCalibrationFile } from './calibrationData';
import { runBenchBatch, type BenchBatchResult } from './kit/benchBatch';
import { benchTempDir } from './kit/benchTempDir';
import { makeBenchRepo, type BenchRepo } from './kit/benchRepo';
import { BENCH_SEED, drawOracle, writeBenchTickets } from './kit/benchTickets';
import { oracleResponder } from './kit/oracleResponder';

const SIZES = (process.env.BENCH_BATCH_SIZES ?? '1,2,3,5,10,20').split(',').map(Number);

interface Variant {
  readonly name: 'shipped' | 'single' | 'all_strong' | 'no_cache';
  readonly mode: BatchModeChoice;
  readonly tier?: string;
  readonly promptCaching?: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'shipped', mode: 'auto' },
  { name: 'single', mode: 'single' },
  { name: 'all_strong', mode: 'auto', tier: 'strong' },
  { name: 'no_cache', mode: 'auto', promptCaching: false },
];

/** A ticket that ended for any reason but its own gates is a broken measurement, not a result. */
function checkEndings(result: BenchBatchResult, label: string): void {
  for (const t of result.summary.tickets) {
    if (t.state === 'done') continue;
    if (t.state !== 'failed' || !/gate failed/.test(t.detail)) throw new Error(`${label}: ${t.id} ended ${t.state}: ${t.detail}`);
  }
}

async function runVariant(dir: string, repo: BenchRepo, n: number, variant: Variant, rows: Parameters<typeof drawOracle>[0]): Promise<BenchBatchResult> {
  const { oracle, rows: drawn } = drawOracle(rows, repo, n);
  const { tickets } = await writeBenchTickets(join(dir, `n${n}-${variant.name}`), drawn, oracle);
  // A fresh simulator per batch: no prompt cache carried over from another variant.
  const sim = await startSimulator({ responder: oracleResponder({ oracle, content: repo.content }) });
  try {
    const result = await runBenchBatch({ batchId: `n${n}-${variant.name}`, repo: repo.repo, storage: join(dir, `n${n}-${variant.name}`, 'storage'), tickets, baseURL: sim.url, mode: variant.mode, tier: variant.tier, promptCaching: variant.promptCaching });
    checkEndings(result, `N=${n} ${variant.name}`);
    return result;
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const located = locateCalibrationFile();
  if (located.file === null) throw new Error('calibration.jsonl not found (set FLOTILLA_CALIBRATION)');
  const rows = loadCalibration(located.file);
  const dir = benchTempDir('flotilla-bench-batching-');
  const started = Date.now();
  try {
    // One copy of the repository per variant, so parallel batches never contend for one repository's git locks.
    const repos = Object.fromEntries(VARIANTS.map((v) => [v.name, makeBenchRepo(join(dir, `repo-${v.name}`))])) as Record<Variant['name'], BenchRepo>;
    const repo = repos.shipped;
    const entries: Record<string, number | string>[] = [];
    console.log(`Batches of real issue texts (seed ${BENCH_SEED}) on a ${repo.modules.length}-module repository; cost from the ledger, solved = gates passed.\n`);
    console.log('   N   mode          (a) shipped        (b) single         (c) all strong     (d) no cache      (a)/(b) (a)/(c) (a)/(d)');
    for (const n of SIZES) {
      const results: Partial<Record<Variant['name'], BenchBatchResult>> = {};
      // The four batches of one N run side by side: they share nothing but the repository's history
      // (each has its own simulator, storage and worktrees), and most of their time is git and disk I/O.
      await Promise.all(VARIANTS.map(async (variant) => (results[variant.name] = await runVariant(dir, repos[variant.name], n, variant, rows))));
      const r = results as Record<Variant['name'], BenchBatchResult>;
      const cell = (x: BenchBatchResult) => `$${x.costUsd.toFixed(4)} ${String(x.solved).padStart(2)}/${n}`.padEnd(18);
      const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
      console.log(
        `${String(n).padStart(4)}   ${r.shipped.summary.mode.padEnd(12)}  ${cell(r.shipped)} ${cell(r.single)} ${cell(r.all_strong)} ${cell(r.no_cache)} ` +
          `${ratio(r.shipped.costUsd, r.single.costUsd).toFixed(3).padStart(7)} ${ratio(r.shipped.costUsd, r.all_strong.costUsd).toFixed(3).padStart(7)} ${ratio(r.shipped.costUsd, r.no_cache.costUsd).toFixed(3).padStart(7)}`,
      );
      entries.push({
        n,
        shipped_usd: r.shipped.costUsd,
        single_usd: r.single.costUsd,
        all_strong_usd: r.all_strong.costUsd,
        no_cache_usd: r.no_cache.costUsd,
        shipped_solved: r.shipped.solved / n,
        single_solved: r.single.solved / n,
        all_strong_solved: r.all_strong.solved / n,
        no_cache_solved: r.no_cache.solved / n,
        shipped_over_single: ratio(r.shipped.costUsd, r.single.costUsd),
        shipped_over_all_strong: ratio(r.shipped.costUsd, r.all_strong.costUsd),
        shipped_over_no_cache: ratio(r.shipped.costUsd, r.no_cache.costUsd),
        shipped_mode: r.shipped.summary.mode,
      });
    }
    // The smallest N from which shipped stays cheaper than single-agent at every larger N measured.
    let breakEven: number | null = null;
    for (const e of [...entries].reverse()) {
      if ((e.shipped_usd as number) < (e.single_usd as number)) breakEven = e.n as number;
      else break;
    }
    console.log(`\nbreak-even N (shipped cheaper than single-agent from): ${breakEven ?? 'never in the sizes measured'}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
    writeBenchResult('batching', { entries, break_even_n: breakEven, seed: BENCH_SEED, sizes: SIZES }, 'batching');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
