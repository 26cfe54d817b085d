/**
 * One batch of the six demo tickets (`flotilla demo`'s project and scripted model) through the CLI's
 * `flotilla run`, against a fresh simulator, with either worker engine — what the engines and budget
 * benches compare. Claude Code is the real `claude` executable of the Agent SDK's platform package
 * (a devDependency), loaded as the extension loads it; it gets a configuration folder of its own, so
 * nothing of this machine's user settings takes part.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeDemoProject } from '../../src/cli/demoCommand';
import { runCli } from '../../src/cli/main';
import { isReservation, type LedgerEntry } from '../../src/core/llm/reservationRecord';
import type { UsageRecord } from '../../src/core/llm/usageRecord';
import { demoResponder } from '../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../src/simulator/simulator';
import { benchTempDir } from './benchTempDir';

export type DemoEngine = 'builtin' | 'claude-code';

export interface DemoBatchOptions {
  readonly engine: DemoEngine;
  /** Workers at once (the CLI's default, 3, when absent). */
  readonly concurrency?: number;
  /** A hard batch budget (--budget-usd). */
  readonly budgetUsd?: number;
}

export interface DemoBatchResult {
  /** The CLI's exit code: 0 done, 3 stopped by budget, 2 bad input (e.g. no Claude Code executable). */
  readonly exitCode: number;
  /** The batch's state from the CLI's JSON summary (undefined when it never started). */
  readonly state?: string;
  /** Why the batch stopped early (a budget stop names the call it refused and its worst case). */
  readonly stopReason?: string;
  /** The ledger, in the order it was written. */
  readonly records: readonly UsageRecord[];
  readonly costUsd: number;
  /** What the CLI printed on stderr (why it refused, when it did). */
  readonly errors: readonly string[];
}

let claudeConfig: string | undefined;

/** The environment a Claude Code run needs here: its own config folder, and a key the simulator accepts. */
function prepareEnvironment(): void {
  if (claudeConfig === undefined) {
    const dir = benchTempDir('flotilla-bench-claude-config-');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    claudeConfig = dir;
  }
  process.env.CLAUDE_CONFIG_DIR = claudeConfig;
  process.env.ANTHROPIC_API_KEY = 'sk-ant-bench-simulated';
}

function readLedger(storage: string): UsageRecord[] {
  let files: string[];
  try {
    files = readdirSync(join(storage, 'ledger')).sort();
  } catch {
    return [];
  }
  return files.flatMap((name) =>
    readFileSync(join(storage, 'ledger', name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LedgerEntry)
      // Reservation records (written before each call is sent) carry no tokens; the figures are the usage records'.
      .filter((entry): entry is UsageRecord => !isReservation(entry)),
  );
}

export async function runDemoBatch(options: DemoBatchOptions): Promise<DemoBatchResult> {
  prepareEnvironment();
  const root = benchTempDir(`flotilla-bench-demo-${options.engine}-`);
  const repo = join(root, 'textkit');
  const storage = join(root, 'storage');
  writeDemoProject(repo);
  const sim = await startSimulator({ responder: demoResponder() });
  const out: string[] = [];
  const errors: string[] = [];
  try {
    const args = ['run', '--repo', repo, '--all', '--api-base', sim.url, '--engine', options.engine, '--mode', 'direct', '--storage', storage, '--json'];
    if (options.concurrency !== undefined) args.push('--concurrency', String(options.concurrency));
    if (options.budgetUsd !== undefined) args.push('--budget-usd', options.budgetUsd.toFixed(6));
    const exitCode = await runCli(args, { out: (line) => out.push(line), err: (line) => errors.push(line) });
    const summary = out.map((line) => (line.startsWith('{"type":"summary"') ? (JSON.parse(line) as { state?: string; stopReason?: string }) : undefined)).find(Boolean);
    const records = readLedger(storage);
    return { exitCode, state: summary?.state, stopReason: summary?.stopReason, records, costUsd: records.reduce((n, r) => n + (r.costUsd ?? 0), 0), errors };
  } finally {
    await sim.close();
    rmSync(root, { recursive: true, force: true });
  }
}
