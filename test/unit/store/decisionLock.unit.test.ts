import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionInProgressError, decisionLockFile, DecisionLockPathError, withDecisionLock, type DecisionLockHolder } from '../../../src/core/store/decisionLock';

describe('the decision lock: one decision per batch at a time, across processes', function () {
  this.timeout(20_000);
  let storage: string;
  beforeEach(() => {
    storage = mkdtempSync(join(tmpdir(), 'flotilla-decision-lock-'));
  });
  afterEach(() => rmSync(storage, { recursive: true, force: true }));

  it('makes a second decision wait for the first, then run; the lock is gone afterwards', async () => {
    const order: string[] = [];
    let release = () => {};
    const first = withDecisionLock(storage, 'B1', 'accept D1', async () => {
      order.push('first starts');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('first ends');
    });
    while (!existsSync(decisionLockFile(storage, 'B1'))) await new Promise((r) => setTimeout(r, 5));
    const waits: (DecisionLockHolder | null)[] = [];
    const second = withDecisionLock(storage, 'B1', 'accept D2', async () => void order.push('second'), { pollMs: 10, onWait: (h) => waits.push(h) });
    while (waits.length === 0) await new Promise((r) => setTimeout(r, 5));
    release();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first starts', 'first ends', 'second']);
    assert.equal(waits.length, 1, 'told once that it waits');
    assert.equal(waits[0]?.decision, 'accept D1');
    assert.equal(existsSync(decisionLockFile(storage, 'B1')), false);
  });

  it('gives up after its bounded wait and names who holds the batch, having run nothing', async () => {
    let release = () => {};
    const held = withDecisionLock(storage, 'B1', 'accept D1', () => new Promise<void>((resolve) => (release = resolve)));
    while (!existsSync(decisionLockFile(storage, 'B1'))) await new Promise((r) => setTimeout(r, 5));
    let ran = false;
    await assert.rejects(
      withDecisionLock(storage, 'B1', 'reject D2', async () => void (ran = true), { waitMs: 200, pollMs: 20 }),
      (error: unknown) => {
        assert.ok(DecisionInProgressError.is(error));
        assert.match(error.message, new RegExp(`^batch B1: another decision is still being made \\(accept D1, by process ${process.pid} since \\S+\\); waited 0 s and changed nothing\\.$`));
        return true;
      },
    );
    assert.equal(ran, false);
    release();
    await held;
  });

  it('another batch is not held up', async () => {
    let release = () => {};
    const held = withDecisionLock(storage, 'B1', 'accept D1', () => new Promise<void>((resolve) => (release = resolve)));
    while (!existsSync(decisionLockFile(storage, 'B1'))) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await withDecisionLock(storage, 'B2', 'accept D1', async () => 'ran', { waitMs: 100 }), 'ran');
    release();
    await held;
  });

  it('takes over a lock whose process is gone, at once', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const pid = Number(gone.stdout);
    mkdirSync(join(storage, 'batches', 'B1'), { recursive: true });
    const holder: DecisionLockHolder = { v: 1, batchId: 'B1', decision: 'accept D1', pid, hostname: hostname(), processStartedAt: new Date().toISOString(), processStartTicks: null, acquiredAt: new Date().toISOString(), token: 'dead' };
    writeFileSync(decisionLockFile(storage, 'B1'), JSON.stringify(holder));
    assert.equal(await withDecisionLock(storage, 'B1', 'accept D2', async () => 'ran', { waitMs: 0 }), 'ran');
  });

  it('releases the lock when the decision throws', async () => {
    await assert.rejects(withDecisionLock(storage, 'B1', 'accept D1', () => Promise.reject(new Error('git failed'))), /git failed/);
    assert.equal(existsSync(decisionLockFile(storage, 'B1')), false);
    assert.equal(await withDecisionLock(storage, 'B1', 'accept D1', async () => 'again', { waitMs: 0 }), 'again');
  });

  for (const [shape, make] of [
    ['a folder', (path: string) => mkdirSync(path)],
    ['a named pipe', (path: string) => execFileSync('mkfifo', [path])],
    ['a symbolic link', (path: string) => symlinkSync(join(storage, 'nowhere'), path)],
  ] as const) {
    it(`refuses at once, naming the path, when the lock path is ${shape} (no hang)`, async () => {
      mkdirSync(join(storage, 'batches', 'B1'), { recursive: true });
      const file = decisionLockFile(storage, 'B1');
      make(file);
      await assert.rejects(withDecisionLock(storage, 'B1', 'accept D1', async () => 'ran'), (error: unknown) => {
        assert.ok(DecisionLockPathError.is(error), String(error));
        assert.equal(error.message, `${file} is ${shape}, not Flotilla's lock file for decisions.`);
        return true;
      });
    });
  }
});
