import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireBatchLock, batchLockFile, BatchLockedError, describeTakeover, type BatchLock, type BatchLockOptions } from '../../../src/core/store/batchLock';
import type { ProcessProbe } from '../../../src/core/store/processLiveness';

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
