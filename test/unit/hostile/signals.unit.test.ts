import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeDemoProject } from '../../../src/cli/demoCommand';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
}

/**
 * Starts `flotilla run --json` on the demo project against a slow simulator and sends `signals` (one
 * after the other) once the first worker is running. Resolves when the process is gone.
 */
async function interrupt(sim: Simulator, signals: readonly NodeJS.Signals[]): Promise<Ended & { storage: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-signal-'));
  const repo = join(dir, 'textkit');
  const storage = join(dir, 'storage');
  writeDemoProject(repo);
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-signals-0123456789' };
  const child = spawn('node', [CLI, 'run', '--repo', repo, '--all', '--storage', storage, '--api-base', sim.url, '--concurrency', '2', '--mode', 'direct', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const ended = new Promise<Ended>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
  for await (const line of createInterface({ input: child.stdout })) {
    const event = JSON.parse(line) as { type: string; ticket?: { state: string } };
    if (event.type === 'ticket-state' && event.ticket?.state === 'running') break;
  }
  for (const signal of signals) {
    child.kill(signal);
    // The next signal goes as soon as this one is handled (its notice is on stderr): a fixed pause let a
    // quick cancel end the batch first on an idle machine, so the second Ctrl-C never arrived.
    const deadline = Date.now() + 2_000;
    const handled = () => stderr.includes('cancelling:');
    while (!handled() && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  }
  child.stdout.resume();
  return { ...(await ended), storage };
}

/** What a signal may never cost: the ledger's lines and a readable state file. */
async function assertNothingLost(storage: string): Promise<void> {
  const scan = await foldLedger(storage, () => undefined);
  assert.deepEqual(scan.problems, [], 'no torn or corrupt ledger line');
  const [batch] = readdirSync(join(storage, 'batches'));
  assert.ok(batch);
  const state = JSON.parse(readFileSync(join(storage, 'batches', batch, 'state.json'), 'utf8')) as { tickets: Record<string, { status: string; reason: string | null }> };
  assert.ok(Object.keys(state.tickets).length > 0);
}

/** Signals at a running batch (issue 11): never a stack trace, never a lost ledger line. */
describe('hostile signals: Ctrl-C, SIGTERM, and a second of either during a batch', function () {
  this.timeout(120_000);
  let sim: Simulator;
  before(() => {
    if (!existsSync(CLI)) execFileSync('node', ['esbuild.mjs'], { cwd: ROOT });
  });
  beforeEach(async () => {
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 150 });
  });
  afterEach(async () => sim.close());

  it('one SIGINT: running workers stop, the batch ends with a one-line notice, no running ticket is left', async () => {
    const r = await interrupt(sim, ['SIGINT']);
    assert.equal(r.signal, null, r.stderr);
    assert.notEqual(r.code, 70, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
    assert.match(r.stderr, /^cancelling: /m);
    await assertNothingLost(r.storage);
    const [batch] = readdirSync(join(r.storage, 'batches'));
    const state = JSON.parse(readFileSync(join(r.storage, 'batches', batch ?? '', 'state.json'), 'utf8')) as { status: string; tickets: Record<string, { status: string; reason: string | null }> };
    assert.notEqual(state.status, 'running');
    for (const [id, ticket] of Object.entries(state.tickets)) {
      assert.notEqual(ticket.status, 'running', `${id} is still running in state.json`);
      if (ticket.status !== 'done') assert.ok(ticket.reason && !ticket.reason.includes('\n'), `${id} has a one-line reason`);
    }
  });

  it('a second SIGINT quits at once with 130, without a stack trace or a torn ledger line', async () => {
    const r = await interrupt(sim, ['SIGINT', 'SIGINT']);
    assert.equal(r.code, 130, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
    await assertNothingLost(r.storage);
  });

  it('SIGTERM takes the Ctrl-C path: the batch is cancelled with the same notice and exit code, its lock removed', async () => {
    const r = await interrupt(sim, ['SIGTERM']);
    assert.equal(r.signal, null, r.stderr);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^cancelling: .*\(SIGTERM again to quit at once\)$/m);
    assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
    await assertNothingLost(r.storage);
    const [batch] = readdirSync(join(r.storage, 'batches'));
    const state = JSON.parse(readFileSync(join(r.storage, 'batches', batch ?? '', 'state.json'), 'utf8')) as { status: string };
    assert.equal(state.status, 'cancelled');
    assert.equal(existsSync(join(r.storage, 'batches', batch ?? '', 'lock.json')), false);
  });

  it('a second SIGTERM quits at once with 143', async () => {
    const r = await interrupt(sim, ['SIGTERM', 'SIGTERM']);
    assert.equal(r.code, 143, r.stderr);
    assert.doesNotMatch(r.stderr, /internal error|^\s+at /m);
    await assertNothingLost(r.storage);
  });
});
