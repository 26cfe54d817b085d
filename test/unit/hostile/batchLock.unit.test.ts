import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describeFileKind } from '../../../src/core/fsFailure';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { acquireBatchLock, batchLockFile } from '../../../src/core/store/batchLock';
import { UnexpectedFileKindError } from '../../../src/core/store/regularFile';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { makeDemoRepo, tempDir } from '../cli/cliHarness';
import { assertLedgerGrewAsBilled, cancelledDemoBatch, ensureCliBuilt, paidAndBilled, runCliProcess, runCliProcessWithin, startCliProcess, type CancelledBatch } from './cliProcess';

/** How many times each ticket's worker started, from its transcripts. */
function workerStarts(storage: string, batchId: string): Record<string, number> {
  const dir = join(storage, 'batches', batchId, 'transcripts');
  return Object.fromEntries(
    readdirSync(dir).map((name) => [name.replace(/\.jsonl$/, ''), readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l.includes('"kind":"start"')).length]),
  );
}

/** Issue 11 item 4: two resumes of one batch must not both run it; a dead holder must not block it. */
describe('hostile: the batch lock (two resumes at once, a stale lock)', function () {
  this.timeout(180_000);
  let sim: Simulator;
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-lock-0123456789' };
  before(ensureCliBuilt);
  beforeEach(async () => {
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 100 });
  });
  afterEach(async () => sim.close());

  it('two resumes started together: one runs the batch, the other refuses in one line naming the batch and its pid (exit 2)', async () => {
    const batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('lock2'), 'storage'), apiBase: sim.url, env });
    assert.equal(existsSync(batchLockFile(batch.storage, batch.batchId)), false, 'the cancelled run released its lock');
    const before = workerStarts(batch.storage, batch.batchId);
    const usageBefore = await paidAndBilled(batch.storage, sim);

    const resumes = [0, 1].map(() => startCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url, '--json'], env));
    const ended = await Promise.all(resumes.map((r) => r.ended));
    const winner = ended.findIndex((e) => e.code === 0);
    const loser = ended.findIndex((e) => e.code === 2);
    assert.ok(winner >= 0 && loser >= 0, ended.map((e) => `${e.code}: ${e.stderr}`).join('\n'));
    const refusal = ended[loser]?.stderr.trim() ?? '';
    assert.equal(refusal.split('\n').length, 1, refusal);
    assert.match(refusal, new RegExp(`^flotilla resume: batch ${batch.batchId} is being resumed by process ${resumes[winner]?.child.pid} since \\S+\\. Wait for it to end, or stop that process first\\.$`));
    assert.equal(ended[loser]?.stdout, '', 'the refused resume ran nothing');

    const final = await new BatchStateStore({ storage: batch.storage }).load(batch.batchId);
    assert.ok(final);
    assert.deepEqual(final.state.ticketIds.map((id) => final.state.tickets[id]?.status), final.state.ticketIds.map(() => 'done'));
    const after = workerStarts(batch.storage, batch.batchId);
    assert.deepEqual(Object.keys(after).filter((id) => (after[id] ?? 0) - (before[id] ?? 0) > 1), [], 'no ticket ran twice');
    assertLedgerGrewAsBilled(usageBefore, await paidAndBilled(batch.storage, sim));
    assert.equal(existsSync(batchLockFile(batch.storage, batch.batchId)), false, 'the winner released the lock');
  });

  it('a lock left by a dead process is taken over, said in one line, and released at the end', async () => {
    const batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('lockstale'), 'storage'), apiBase: sim.url, env });
    // A process that ran and is gone holds the lock, as after a kill -9 in the middle of a resume.
    const gone = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const since = new Date(Date.now() - 5_000).toISOString();
    writeFileSync(
      batchLockFile(batch.storage, batch.batchId),
      JSON.stringify({ v: 1, batchId: batch.batchId, purpose: 'resume', pid: deadPid, hostname: hostname(), processStartedAt: since, processStartTicks: 1, acquiredAt: since, token: 'dead' }),
    );
    const usageBefore = await paidAndBilled(batch.storage, sim);
    const resumed = await runCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url, '--json'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const lines = resumed.stderr.split('\n').filter((l) => l.includes('took over the lock'));
    assert.deepEqual(lines, [`batch ${batch.batchId}: took over the lock of process ${deadPid} (a resume since ${since}), which is no longer running`]);
    assert.equal(existsSync(batchLockFile(batch.storage, batch.batchId)), false);
    assertLedgerGrewAsBilled(usageBefore, await paidAndBilled(batch.storage, sim));
  });
});

/** A lock file of a process that ran and is gone, as a kill -9 leaves it. */
function deadHoldersLock(batchId: string): string {
  const gone = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const since = new Date(Date.now() - 5_000).toISOString();
  return JSON.stringify({ v: 1, batchId, purpose: 'resume', pid: Number(gone.stdout), hostname: hostname(), processStartedAt: since, processStartTicks: 1, acquiredAt: since, token: 'dead' });
}

/** The odd things found at a lock's path (issue 20 item 5), and how to make each. */
const ODD_LOCKS: readonly (readonly [string, RegExp, (path: string, batchId: string) => void])[] = [
  ['a folder', /a folder/, (path) => mkdirSync(path)],
  ['a dangling symbolic link', /a symbolic link/, (path) => symlinkSync(join(tempDir('gone'), 'nothing-here'), path)],
  [
    'a symbolic link to a lock file elsewhere',
    /a symbolic link/,
    (path, batchId) => {
      const elsewhere = join(tempDir('elsewhere'), 'lock.json');
      writeFileSync(elsewhere, deadHoldersLock(batchId));
      symlinkSync(elsewhere, path);
    },
  ],
  ['a FIFO', /a FIFO/, (path) => execFileSync('mkfifo', [path])],
];

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('hostile: a lock path that is not a lock file (folder, dangling link, link elsewhere, FIFO)', function () {
  this.timeout(300_000);
  let sim: Simulator;
  let batch: CancelledBatch;
  let doneTicket: string;
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-lock-0123456789' };
  before(async () => {
    ensureCliBuilt();
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 100 });
    batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('oddlock'), 'storage'), apiBase: sim.url, env });
    const loaded = await new BatchStateStore({ storage: batch.storage }).load(batch.batchId);
    doneTicket = loaded?.state.ticketIds.find((id) => loaded.state.tickets[id]?.status === 'done') ?? '';
    assert.ok(doneTicket, 'the cancelled batch has a finished ticket');
  });
  after(async () => sim.close());

  it('acquireBatchLock (what run, resume and a change request take) refuses each at once, naming the path, and leaves it alone', async () => {
    for (const [shape, words, make] of ODD_LOCKS) {
      const storage = join(tempDir('oddlock-core'), 'storage');
      const lock = batchLockFile(storage, 'B1');
      mkdirSync(join(lock, '..'), { recursive: true });
      make(lock, 'B1');
      const started = Date.now();
      await assert.rejects(acquireBatchLock(storage, 'B1', { purpose: 'run' }), (error: unknown) => UnexpectedFileKindError.is(error) && error.path === lock && words.test(error.message) && /remove it/.test(error.nextStep), shape);
      assert.ok(Date.now() - started < 2_000, `${shape}: refused at once`);
      assert.match(describeFileKind(lstatSync(lock)), words, `${shape}: left as it was`);
    }
    // The takeover guard next to a stale lock, as a folder: refused too, not waited on.
    const storage = join(tempDir('oddlock-core'), 'storage');
    const lock = batchLockFile(storage, 'B1');
    mkdirSync(join(lock, '..'), { recursive: true });
    writeFileSync(lock, deadHoldersLock('B1'));
    mkdirSync(`${lock}.takeover`);
    await assert.rejects(acquireBatchLock(storage, 'B1', { purpose: 'resume' }), (error: unknown) => UnexpectedFileKindError.is(error) && error.path === `${lock}.takeover`);
  });

  for (const [shape, words, make] of ODD_LOCKS) {
    it(`lock.json that is ${shape}: resume and request-changes exit 2 in one line naming it within seconds; status, which needs no lock, answers`, async () => {
      const lock = batchLockFile(batch.storage, batch.batchId);
      rmSync(lock, { recursive: true, force: true });
      make(lock, batch.batchId);
      const storageArgs = ['--storage', batch.storage, '--batch', batch.batchId];
      for (const args of [['resume', ...storageArgs, '--api-base', sim.url], ['request-changes', ...storageArgs, doneTicket, '--message', 'also trim spaces', '--api-base', sim.url]]) {
        const r = await runCliProcessWithin(args, env, 15_000);
        assert.equal(r.hung, false, `${args[0]} hung:\n${r.stderr}`);
        assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
        assert.doesNotMatch(r.stderr, /internal error|^\s+at /m, 'no stack trace');
        const line = r.stderr.trim().split('\n').at(-1) ?? '';
        assert.match(line, new RegExp(`^flotilla ${args[0]}: ${escaped(lock)} is ${words.source}.*, not a file Flotilla wrote\\. If no Flotilla process is running this batch, remove it`), r.stderr);
      }
      const status = await runCliProcessWithin(['status', ...storageArgs], env, 15_000);
      assert.deepEqual({ hung: status.hung, code: status.code }, { hung: false, code: 0 }, status.stderr);
      assert.match(describeFileKind(lstatSync(lock)), words, 'the odd thing was left for the user to look at');
      rmSync(lock, { recursive: true, force: true });
    });
  }

  it('accept, which needs no batch lock, answers with each of them in place (no hang, no trace)', async () => {
    const lock = batchLockFile(batch.storage, batch.batchId);
    for (const [shape, , make] of ODD_LOCKS) {
      make(lock, batch.batchId);
      const r = await runCliProcessWithin(['accept', '--storage', batch.storage, '--batch', batch.batchId, doneTicket], env, 15_000);
      assert.equal(r.hung, false, `${shape}: accept hung:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error|^\s+at /m, 'no stack trace');
      // The first accept merges; after it the ticket is accepted already (answered 0, or refused in one line).
      assert.ok(r.code === 0 || r.code === 2, `${shape}: accept exited ${r.code}: ${r.stderr}`);
      rmSync(lock, { recursive: true, force: true });
    }
  });
});
