import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoProject } from '../../../src/cli/demoCommand';
import { ModelCost } from '../../../src/core/llm/modelCost';
import type { ReservationRecord } from '../../../src/core/llm/reservationRecord';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { silentLogger } from '../../../src/core/logger';
import { formatUsd } from '../../../src/core/vocabulary/amounts';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import { OpenReservations } from '../../../src/core/store/openReservations';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { BilledRequest, Simulator } from '../../../src/simulator/simulatorTypes';
import { isolateClaudeConfig } from '../claudeCode/claudeCodeHarness';
import { CLI, ensureCliBuilt, processesUnder, runCliProcess, type Ended } from './cliProcess';

const KILLS = 12;
const cost = new ModelCost({ logger: silentLogger });
const billedUsd = (b: BilledRequest): number => cost.costUsd(b.model, b) ?? Number.POSITIVE_INFINITY;

interface KillSequence {
  readonly storage: string;
  /** How the last, unkilled resume ended. */
  readonly last: Ended;
}

/**
 * `flotilla run --budget-usd` on the demo project, SIGKILLed the moment the simulator has written an
 * answer whole (billed, and not yet recorded by the CLI unless it is very quick), then `flotilla
 * resume` killed the same way, `kills` times in all; then one resume left to end on its own.
 */
async function killAfterAnswers(sim: Simulator & { armed?: () => void }, env: NodeJS.ProcessEnv, engineArgs: readonly string[], tickets: string, budgetUsd: number, kills: number): Promise<KillSequence> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-kills-'));
  const repo = join(dir, 'textkit');
  const storage = join(dir, 'storage');
  writeDemoProject(repo);
  let killed = 0;
  const start = (args: readonly string[], kill: boolean): Promise<{ signal: NodeJS.Signals | null; code: number | null }> => {
    const child: ChildProcess = spawn('node', [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'ignore'] });
    sim.armed = kill
      ? () => {
          sim.armed = undefined;
          killed++;
          child.kill('SIGKILL');
        }
      : undefined;
    return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  };
  const api = ['--storage', storage, '--api-base', sim.url, ...engineArgs];
  // One ticket, or a chain of dependent ones: one call in flight at a time, so each kill leaves one
  // call unrecorded (a resume runs at the default concurrency).
  let ended = await start(['run', '--repo', repo, '--tickets', tickets, '--mode', 'direct', '--budget-usd', String(budgetUsd), ...api], true);
  while (killed < kills && ended.signal === 'SIGKILL') ended = await start(['resume', ...api], true);
  assert.equal(killed, kills, `every run was killed after an answer until the ${kills}th (the last one ended with ${ended.code ?? ended.signal})`);
  sim.armed = undefined;
  const last = await runCliProcess(['resume', ...api], env);
  return { storage, last };
}

/** Every billed request is in the ledger whole, or a distinct open reservation of its model holds at least what it cost. */
async function assertEveryBilledRequestCovered(storage: string, sim: Simulator): Promise<ReservationRecord[]> {
  const whole = new Set<string>();
  const open = new OpenReservations();
  const scan = await foldLedger(
    storage,
    (r: UsageRecord) => {
      open.add(r);
      if (r.requestId !== null && r.partial !== true && r.error === undefined) whole.add(r.requestId);
    },
    { onReservation: (r) => open.add(r) },
  );
  assert.deepEqual(scan.problems, [], 'no torn or corrupt ledger line');
  const requests = sim.billedRequests();
  const missing = requests.filter((b) => !whole.has(b.requestId));
  const reservations = open.list();
  for (const model of new Set(missing.map((b) => b.model))) {
    // Largest bill against largest worst case: if these pair up, every bill has a reservation of its own.
    const bills = missing.filter((b) => b.model === model).map(billedUsd).sort((a, b) => b - a);
    const held = reservations.filter((r) => r.model === model).map((r) => r.reservedUsd ?? Number.POSITIVE_INFINITY).sort((a, b) => b - a);
    assert.ok(bills.length <= held.length, `${model}: ${bills.length} billed requests have no usage record, ${held.length} reservations are open`);
    bills.forEach((usd, i) => assert.ok(usd <= (held[i] ?? 0) + 1e-12, `${model}: a call billed $${usd} is covered by a reservation of $${held[i]}`));
  }
  return reservations;
}

/** `flotilla status` and `flotilla report` name the open reservations: "outcome unknown, at most $X". */
async function assertReportedAsUnknown(storage: string, open: readonly ReservationRecord[], env: NodeJS.ProcessEnv): Promise<void> {
  const atMost = formatUsd(open.reduce((sum, r) => sum + (r.reservedUsd ?? 0), 0));
  const line = `outcome unknown, at most ${atMost} (${open.length} calls cut off before their usage was recorded; counted at that worst case)`;
  const status = await runCliProcess(['status', '--storage', storage], env);
  assert.equal(status.code, 0, status.stderr);
  assert.ok(status.stdout.includes(`also ${line}`), status.stdout);
  const report = await runCliProcess(['report', '--storage', storage, '--format', 'md'], env);
  assert.equal(report.code, 0, report.stderr);
  assert.ok(report.stdout.includes(`- Outcome unknown, at most ${atMost} (`), report.stdout);
  const json = await runCliProcess(['report', '--storage', storage, '--format', 'json'], env);
  const parsed = JSON.parse(json.stdout) as { batch: { unknownOutcomes: { calls: number; atMostUsd: number } } };
  assert.equal(parsed.batch.unknownOutcomes.calls, open.length);
}

/**
 * Issue 20 item 4, "kills lose nothing": a kill right after a billed answer used to leave the call
 * out of the ledger, so a resume did not count it and twelve such kills carried a batch past its
 * budget. With reservations written before each call, the bill over the whole run/kill/resume
 * sequence stays within the budget and every billed request is recorded or reserved.
 */
describe('hostile kills: SIGKILL right after billed answers, then resume (issue 20)', function () {
  this.timeout(600_000);
  isolateClaudeConfig();
  let sim: (Simulator & { armed?: () => void }) | undefined;
  before(() => ensureCliBuilt());
  afterEach(async () => sim?.close());

  /**
   * Answers as long as the calls may be (8,000 output tokens, near the 8,192 a worker asks): a
   * call then costs about its worst case, so the budget must hold the kills' reservations at
   * their full worth, and calls the ledger missed would carry spend far past it.
   */
  async function expensiveSimulator(): Promise<Simulator & { armed?: () => void }> {
    const demo = demoResponder();
    const holder: { sim?: Simulator & { armed?: () => void } } = {};
    const started: Simulator & { armed?: () => void } = await startSimulator({
      responder: (request) => ({ ...demo(request), outputTokens: 8_000 }),
      onAnswered: () => holder.sim?.armed?.(),
    });
    holder.sim = started;
    return started;
  }

  const engines = [
    // Twelve kills hold about 12 × $0.0044 open; the ticket itself needs about $0.01 more. Without
    // reservations the sequence billed $0.062 (12 unrecorded calls and the whole ticket) and ended done.
    { name: 'built-in engine', args: [], tickets: 'D1', budgetUsd: 0.055 },
    // Claude Code through the metering proxy, D4 waiting for D2: 12 × $0.0056 held, then a budget
    // stop; without reservations the sequence billed $0.104 (12 unrecorded calls, both tickets).
    { name: 'Claude Code engine (the real claude executable)', args: ['--engine', 'claude-code'], tickets: 'D2,D4', budgetUsd: 0.075 },
  ];
  for (const engine of engines) {
    it(`${engine.name}: ${KILLS} kills after billed answers never carry the bill past --budget-usd, and every billed request is recorded or reserved`, async () => {
      sim = await expensiveSimulator();
      const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-kills-0123456789' };
      const r = await killAfterAnswers(sim, env, engine.args, engine.tickets, engine.budgetUsd, KILLS);
      const billed = sim.billedRequests().reduce((sum, b) => sum + billedUsd(b), 0);
      assert.ok(billed <= engine.budgetUsd, `billed $${billed.toFixed(6)} over the whole sequence, budget $${engine.budgetUsd}`);
      const open = await assertEveryBilledRequestCovered(r.storage, sim);
      assert.ok(open.length >= KILLS, `each kill left its call's reservation open (${open.length})`);
      assert.equal(r.last.code, 3, `the last resume stops by budget: ${r.last.stderr}`);
      assert.doesNotMatch(r.last.stderr, /internal error|^\s+at /m);
      assert.deepEqual(processesUnder(join(r.storage, 'worktrees')), [], 'no worker process is left running in the worktrees');
      await assertReportedAsUnknown(r.storage, open, env);
    });
  }
});
