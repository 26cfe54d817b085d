import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import assert from 'node:assert/strict';
import type { TicketRecord } from '../../../src/core/batch/batchTypes';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

const ROOT = join(__dirname, '../../..');
export const CLI = join(ROOT, 'dist/cli.js');

/** The tests drive the built CLI as a user would: build it once if it is missing. */
export function ensureCliBuilt(): void {
  if (!existsSync(CLI)) execFileSync('node', ['esbuild.mjs'], { cwd: ROOT });
}

export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `node dist/cli.js …` as a child process. Not spawnSync: the simulator lives in the test's own
 * process and must keep answering while the CLI runs.
 */
export function runCliProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn('node', [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * runCliProcess with a deadline: a CLI still running after `ms` (a hang) is killed, and `hung` says
 * so, so a test can fail on it instead of timing out without saying why.
 */
export async function runCliProcessWithin(args: readonly string[], env: NodeJS.ProcessEnv, ms: number): Promise<Ended & { readonly hung: boolean }> {
  const child = spawn('node', [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, ms);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (c, s) => resolve({ code: c, signal: s })));
  clearTimeout(timer);
  return { code, signal, stdout, stderr, hung };
}

/** A running `flotilla … --json` whose events can be awaited one condition at a time. */
export interface LiveCli {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves with the first `ticket-state` event whose ticket matches (then keeps reading). */
  untilTicket(match: (ticket: TicketRecord) => boolean): Promise<TicketRecord>;
  readonly ended: Promise<Ended>;
}

export function startCliProcess(args: readonly string[], env: NodeJS.ProcessEnv): LiveCli {
  const child = spawn('node', [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const waiting: { match: (t: TicketRecord) => boolean; resolve: (t: TicketRecord) => void }[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdout += `${line}\n`;
    const event = JSON.parse(line) as { type: string; ticket?: TicketRecord };
    if (event.type !== 'ticket-state' || !event.ticket) return;
    for (const w of waiting.splice(0)) {
      if (w.match(event.ticket)) w.resolve(event.ticket);
      else waiting.push(w);
    }
  });
  const ended = new Promise<Ended>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    ended,
    untilTicket: (match) =>
      new Promise((resolve, reject) => {
        waiting.push({ match, resolve });
        void ended.then((e) => reject(new Error(`the CLI ended (${e.code ?? e.signal}) before the awaited ticket state:\n${e.stderr}`)));
      }),
  };
}

export interface CancelledBatch {
  readonly repo: string;
  readonly storage: string;
  readonly batchId: string;
  /** How the cancelled run ended. */
  readonly run: Ended;
}

/**
 * `flotilla run --all` on a fresh demo project against `apiBase`, interrupted with one Ctrl-C
 * (SIGINT) as soon as `when` says so (default: the first ticket is done).
 */
export async function cancelledDemoBatch(input: {
  readonly repo: string;
  readonly storage: string;
  readonly apiBase: string;
  readonly env: NodeJS.ProcessEnv;
  readonly extraArgs?: readonly string[];
  readonly when?: (ticket: TicketRecord) => boolean;
}): Promise<CancelledBatch> {
  const live = startCliProcess(['run', '--repo', input.repo, '--all', '--storage', input.storage, '--api-base', input.apiBase, '--concurrency', '2', '--mode', 'direct', '--json', ...(input.extraArgs ?? [])], input.env);
  await live.untilTicket(input.when ?? ((t) => t.state === 'done'));
  live.child.kill('SIGINT');
  const run = await live.ended;
  const started = run.stdout.split('\n').find((l) => l.includes('"type":"batch-started"'));
  const batchId = started ? (JSON.parse(started) as { batchId: string }).batchId : '';
  return { repo: input.repo, storage: input.storage, batchId, run };
}

interface UsageTotals {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
}

/** What the ledger holds and what the simulator billed, at one moment. */
export interface PaidAndBilled {
  readonly ledger: UsageTotals;
  readonly billed: UsageTotals;
}

export async function paidAndBilled(storage: string, sim: Simulator): Promise<PaidAndBilled> {
  const ledger: UsageTotals = { requests: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 };
  const scan = await foldLedger(storage, (r) => {
    if (r.requestId !== null) ledger.requests += 1;
    ledger.inputTokens += r.inputTokens;
    ledger.outputTokens += r.outputTokens;
    ledger.cacheReadTokens += r.cacheReadTokens;
    ledger.cacheWrite5mTokens += r.cacheWrite5mTokens;
  });
  assert.deepEqual(scan.problems, [], 'no torn or corrupt ledger line');
  // A call the client gave up on may still be finishing in the simulator: wait until its billing is still.
  let billedNow = JSON.stringify(sim.billed());
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const again = JSON.stringify(sim.billed());
    if (again === billedNow) break;
    billedNow = again;
  }
  const { requests, inputTokens, outputTokens, cacheReadTokens, cacheWrite5mTokens } = sim.billed();
  return { ledger, billed: { requests, inputTokens, outputTokens, cacheReadTokens, cacheWrite5mTokens } };
}

/**
 * Between two moments the ledger grew by exactly what the simulator billed: nothing lost, nothing
 * counted twice. (Measured over a resume, not across the Ctrl-C: a call cut off in flight is billed
 * whole by the simulator but recorded as far as the client received it.)
 */
export function assertLedgerGrewAsBilled(before: PaidAndBilled, after: PaidAndBilled): void {
  const delta = (a: UsageTotals, b: UsageTotals): UsageTotals => ({
    requests: b.requests - a.requests,
    inputTokens: b.inputTokens - a.inputTokens,
    outputTokens: b.outputTokens - a.outputTokens,
    cacheReadTokens: b.cacheReadTokens - a.cacheReadTokens,
    cacheWrite5mTokens: b.cacheWrite5mTokens - a.cacheWrite5mTokens,
  });
  const paid = delta(before.ledger, after.ledger);
  assert.ok(paid.requests > 0, 'the resume made calls');
  assert.deepEqual(paid, delta(before.billed, after.billed), 'the ledger grew by what was billed');
}

/** Live processes whose working folder is under `dir` (a worker left behind). */
export function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readlinkSync(`/proc/${e}/cwd`).startsWith(dir) && readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}
