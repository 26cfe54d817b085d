import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireBatchLock, batchLockFile, BatchLockedError, describeTakeover, type BatchLock, type BatchLockOptions } from '../../../src/core/store/batchLock';
import type { ProcessProbe } from '../../../src/core/store/processLiveness';
import { leftoverTree } from '../../../src/core/process/leftoverWorkers';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** A process as the lock sees it: its pid and host, and which other pids are alive. */
function probe(pid: number, alive: (pid: number) => boolean = () => true, host = hostname()): ProcessProbe {
  return { pid, hostname: host, startedAtMs: T0 - 60_000, isAlive: alive };
}

/** Fake processes: /proc start ticks are never available, so only pid liveness and the heartbeat decide. */
const as = (p: ProcessProbe, extra: Partial<BatchLockOptions> = {}): BatchLockOptions => ({ purpose: 'resume', probe: p, clock: () => T0, startTicksOf: () => null, ...extra });

describe('batch lock (batches/<id>/lock.json)', () => {
  let storage: string;
  beforeEach(() => {
    storage = mkdtempSync(join(tmpdir(), 'flotilla-lock-'));
  });

  it('is held by one process: a second gets BatchLockedError naming the batch and the holder’s pid, until it is released', async () => {
    const first = await acquireBatchLock(storage, 'B1', as(probe(1001)));
    const stored = JSON.parse(readFileSync(batchLockFile(storage, 'B1'), 'utf8')) as Record<string, unknown>;
    assert.equal(stored.pid, 1001);
    assert.equal(stored.processStartedAt, new Date(T0 - 60_000).toISOString());
    assert.equal(first.tookOverFrom, null);
    await assert.rejects(acquireBatchLock(storage, 'B1', as(probe(1002))), (e: unknown) => e instanceof BatchLockedError && e.holder.pid === 1001 && /^batch B1 is being resumed by process 1001 since /.test(e.message));
    await first.release();
    assert.equal(existsSync(batchLockFile(storage, 'B1')), false);
    const second = await acquireBatchLock(storage, 'B1', as(probe(1002)));
    await second.release();
    await first.release(); // twice is harmless
  });

  it('takes over the lock of a dead process and says so in one line; the dead holder’s release leaves the new lock alone', async () => {
    const dead = await acquireBatchLock(storage, 'B1', as(probe(1001)));
    const taker = await acquireBatchLock(storage, 'B1', as(probe(1002, (pid) => pid !== 1001)));
    assert.equal(typeof taker.tookOverFrom === 'object' && taker.tookOverFrom?.pid, 1001);
    assert.match(describeTakeover(taker) ?? '', /^batch B1: took over the lock of process 1001 \(a resume since .*\), which is no longer running$/);
    await dead.release();
    assert.equal(existsSync(batchLockFile(storage, 'B1')), true, 'the stale holder does not remove the lock it lost');
    await taker.release();
  });

  it('a holder on another host counts as gone only once it stops refreshing the lock', async () => {
    const remote = await acquireBatchLock(storage, 'B1', as(probe(1001, () => true, 'other-host'), { refreshMs: 60_000 }));
    await assert.rejects(acquireBatchLock(storage, 'B1', as(probe(1002), { clock: () => Date.now() + 60_000 })), BatchLockedError);
    const taker = await acquireBatchLock(storage, 'B1', as(probe(1002), { clock: () => Date.now() + 3 * 60_000 }));
    assert.notEqual(taker.tookOverFrom, null);
    await taker.release();
    await remote.release();
  });

  it('a pid that is alive but another process (start ticks differ) does not hold the lock', async () => {
    const old = await acquireBatchLock(storage, 'B1', { purpose: 'run', startTicksOf: () => 100 });
    // Another process finds our real pid alive, but /proc says that pid now started at another tick.
    const other = probe(424242, () => true);
    const taker = await acquireBatchLock(storage, 'B1', { purpose: 'resume', probe: other, startTicksOf: () => 200 });
    assert.notEqual(taker.tookOverFrom, null, 'a reused pid does not hold the batch');
    await taker.release();
    await old.release();
  });

  it('of eight processes racing for a free lock, or for a stale one, exactly one gets it', async () => {
    for (const stale of [false, true]) {
      const id = stale ? 'stale' : 'free';
      if (stale) await acquireBatchLock(storage, id, as(probe(1000)));
      const racers = Array.from({ length: 8 }, (_, i) => acquireBatchLock(storage, id, as(probe(2000 + i, (pid) => pid !== 1000))));
      const results = await Promise.allSettled(racers);
      const won = results.filter((r): r is PromiseFulfilledResult<BatchLock> => r.status === 'fulfilled');
      assert.equal(won.length, 1, `${id}: ${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'won')).join('; ')}`);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof BatchLockedError, String(r.reason));
      await won[0]?.value.release();
    }
  });
});

/** Live processes whose environment carries `marker`. */
function processesMarked(marker: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const state = readFileSync(`/proc/${e}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && readFileSync(`/proc/${e}/environ`, 'utf8').includes(`FLOTILLA_TEST_MARKER=${marker}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('batch lock: worker processes of a killed holder (issue 20 item 4)', function () {
  this.timeout(30_000);
  let storage: string;
  beforeEach(() => {
    storage = mkdtempSync(join(tmpdir(), 'flotilla-lock-workers-'));
  });

  it('lists the holder’s worker processes, and the process that takes the lock over ends them before it goes on', async () => {
    const marker = `m${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'lockHolderChild.ts'), storage, 'B1', marker], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early with ${String(code)}`)));
    });
    const stored = JSON.parse(readFileSync(batchLockFile(storage, 'B1'), 'utf8')) as { workers: { kind: string; pid: number; pgid: number; startTicks: number | null }[] };
    assert.equal(stored.workers.length, 1);
    assert.equal(stored.workers[0]?.kind, 'gate');
    assert.equal(stored.workers[0]?.pgid, stored.workers[0]?.pid, 'the worker leads its own process group');
    assert.equal(typeof stored.workers[0]?.startTicks, 'number');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // sh, its two sleeps in the group, and the one that left for a session of its own.
    assert.ok(await waitUntil(() => processesMarked(marker).length === 4), `the worker tree outlives its killed parent: ${processesMarked(marker).join(' ')}`);

    const taker = await acquireBatchLock(storage, 'B1', { purpose: 'resume' });
    try {
      assert.deepEqual(processesMarked(marker), [], 'nothing of the worker is left once the lock is handed out');
      assert.equal(taker.endedLeftovers.length, 1);
      assert.match(describeTakeover(taker) ?? '', /; ended what it left running: gate \(pid \d+, 4 processes\)$/);
    } finally {
      await taker.release();
    }
  });

  it('leaves alone a recorded group whose id now belongs to a process started later (pid reuse)', () => {
    const worker = { kind: 'claude' as const, pid: 4242, pgid: 4242, startTicks: 100 };
    const reused = [{ pid: 4242, ppid: 1, pgid: 4242, startTicks: 999, state: 'S' }, { pid: 4243, ppid: 4242, pgid: 4242, startTicks: 1000, state: 'S' }];
    assert.deepEqual(leftoverTree(worker, reused), []);
    const same = [{ pid: 4242, ppid: 1, pgid: 4242, startTicks: 100, state: 'S' }, { pid: 4243, ppid: 4242, pgid: 4242, startTicks: 150, state: 'S' }, { pid: 5000, ppid: 4243, pgid: 5000, startTicks: 160, state: 'S' }];
    assert.deepEqual(leftoverTree(worker, same).sort(), [4242, 4243, 5000]);
    const leaderGone = [{ pid: 4243, ppid: 1, pgid: 4242, startTicks: 150, state: 'S' }];
    assert.deepEqual(leftoverTree(worker, leaderGone), [4243], 'members of the group outlive its leader');
    assert.deepEqual(leftoverTree({ ...worker, pgid: 1, pid: 1 }, same), [], 'never init’s group');
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
