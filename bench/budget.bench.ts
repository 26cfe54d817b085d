/**
 * Budget utilisation (issue 15, `budget`): a batch on the strong tier with a hard batch budget it
 * would need twice over (half of what the same batch costs without a limit, measured in this run).
 * Reports the share of the budget spent before the batch stopped (the median of three runs), and
 * whether the ledger ever went past the limit. Beside it, the same batch with calls that reserve
 * their full max_tokens and are never sized down (the guard before sizing), to show what sizing
 * changed; and the same measure for Claude Code workers, whose calls the metering proxy sizes (the
 * demo batch through the CLI).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../src/simulator/simulator';
import { writeBenchResult } from './benchResults';
import { loadCalibration, locateCalibrationFile } from './calibrationData';
import { runBenchBatch, type BenchBatchResult } from './kit/benchBatch';
import { benchTempDir } from './kit/benchTempDir';
import { makeBenchRepo } from './kit/benchRepo';
import { drawOracle, writeBenchTickets } from './kit/benchTickets';
import { runDemoBatch } from './kit/demoBatch';
import { oracleResponder } from './kit/oracleResponder';

const TICKETS = 10;
const SIZED_RUNS = 3;

interface ClaudeCodeBudget {
  readonly values: Record<string, unknown>;
  readonly reasons: Record<string, string>;
}

/**
 * The demo batch with Claude Code workers (concurrency 3, as shipped), with no limit and then with
 * half of what that cost as a hard batch budget (--budget-usd).
 */
async function claudeCodeBudget(): Promise<ClaudeCodeBudget> {
  const free = await runDemoBatch({ engine: 'claude-code' });
  if (free.exitCode === 2) {
    const reason = `Claude Code could not run here: ${free.errors.join(' ').slice(0, 300)}`;
    return { values: { spent_over_limit_claude_code: null, exceeded_claude_code: null }, reasons: { spent_over_limit_claude_code: reason, exceeded_claude_code: reason } };
  }
  if (free.exitCode !== 0) throw new Error(`the Claude Code demo batch ended with exit code ${free.exitCode}: ${free.errors.join(' ')}`);
  const limit = Math.round((free.costUsd / 2) * 1e6) / 1e6;
  const capped = await runDemoBatch({ engine: 'claude-code', budgetUsd: limit });
  let spent = 0;
  let peak = 0;
  for (const r of capped.records) peak = Math.max(peak, (spent += r.costUsd ?? 0));
  console.log(`Claude Code, the demo batch: $${free.costUsd.toFixed(6)} with no limit; hard batch budget $${limit.toFixed(6)} (half):`);
  console.log(`${'calls sized by the metering proxy'.padEnd(34)} $${capped.costUsd.toFixed(6)} = ${(capped.costUsd / limit).toFixed(3)}; peak $${peak.toFixed(6)}; ${capped.state ?? `exit ${capped.exitCode}`}`);
  if (capped.stopReason) console.log(`${''.padEnd(34)} stop: ${capped.stopReason}`);
  return {
    values: {
      spent_over_limit_claude_code: capped.costUsd / limit,
      exceeded_claude_code: peak > limit,
      limit_usd_claude_code: limit,
      unlimited_usd_claude_code: free.costUsd,
      end_state_claude_code: capped.state ?? null,
      stop_reason_claude_code: capped.stopReason ?? null,
    },
    reasons: {},
  };
}

async function main(): Promise<void> {
  const located = locateCalibrationFile();
  if (located.file === null) throw new Error('calibration.jsonl not found (set FLOTILLA_CALIBRATION)');
  const rows = loadCalibration(located.file);
  const dir = benchTempDir('flotilla-bench-budget-');
  try {
    const run = async (name: string, batchUsd: number | undefined, sizeCalls = true): Promise<BenchBatchResult & { peakUsd: number }> => {
      const repo = makeBenchRepo(join(dir, name));
      const { oracle, rows: drawn } = drawOracle(rows, repo, TICKETS);
      const { tickets } = await writeBenchTickets(join(dir, name), drawn, oracle);
      const sim = await startSimulator({ responder: oracleResponder({ oracle, content: repo.content }) });
      let spent = 0;
      let peakUsd = 0;
      try {
        const result = await runBenchBatch({
          batchId: name, repo: repo.repo, storage: join(dir, name, 'storage'), tickets, baseURL: sim.url, mode: 'auto', tier: 'strong', batchUsd, sizeCalls,
          onRecord: (r) => {
            spent += r.costUsd ?? 0;
            peakUsd = Math.max(peakUsd, spent);
          },
        });
        return { ...result, peakUsd };
      } finally {
        await sim.close();
      }
    };
    const free = await run('unlimited', undefined);
    const limit = Math.round((free.costUsd / 2) * 1e4) / 1e4;
    // Three workers at once meet the limit in an order that depends on timing: the figure is the median
    // of SIZED_RUNS runs, each one listed beside it.
    const [unsized, claudeCode, ...sizedRuns] = await Promise.all([run('unsized', limit, false), claudeCodeBudget(), ...Array.from({ length: SIZED_RUNS }, (_, i) => run(`sized-${i + 1}`, limit))]);
    const sized = [...sizedRuns].sort((a, b) => a.costUsd - b.costUsd)[Math.floor(SIZED_RUNS / 2)] as (typeof sizedRuns)[number];
    const line = (label: string, r: BenchBatchResult & { peakUsd: number }) =>
      console.log(`${label.padEnd(34)} $${r.costUsd.toFixed(4)} of $${limit.toFixed(4)} = ${(r.costUsd / limit).toFixed(3)}; peak $${r.peakUsd.toFixed(4)}; ${r.summary.state}; ${r.solved}/${TICKETS} done`);
    console.log(`${TICKETS} tickets on the strong tier cost $${free.costUsd.toFixed(4)} with no limit; hard batch budget $${limit.toFixed(4)} (half):\n`);
    sizedRuns.forEach((r, i) => line(`calls sized to the budget left (${i + 1})`, r));
    if (sized.summary.stopReason) console.log(`${''.padEnd(34)} stop (median run): ${sized.summary.stopReason}`);
    line('full worst case held (before)', unsized);
    console.log('');
    writeBenchResult(
      'budget',
      {
        spent_over_limit: sized.costUsd / limit,
        exceeded: sizedRuns.some((r) => r.peakUsd > limit),
        spent_over_limit_runs: sizedRuns.map((r) => r.costUsd / limit),
        limit_usd: limit,
        unlimited_usd: free.costUsd,
        end_state: sized.summary.state,
        stop_reason: sized.summary.stopReason ?? null,
        spent_over_limit_unsized: unsized.costUsd / limit,
        exceeded_unsized: unsized.peakUsd > limit,
        ...claudeCode.values,
      },
      'budget',
      claudeCode.reasons,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
