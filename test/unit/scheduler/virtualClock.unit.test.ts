import assert from 'node:assert/strict';
import { VirtualClock, VirtualClockDeadlockError } from '../../../src/core/batch/schedulerVirtualClock';

describe('VirtualClock', () => {
  it('fires timers in time order, equal times in the order they were set', async () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    clock.setTimer(() => fired.push('b@20'), 20);
    clock.setTimer(() => fired.push('a@10'), 10);
    clock.setTimer(() => fired.push('c@20'), 20);
    const cleared = clock.setTimer(() => fired.push('never'), 15);
    clock.clearTimer(cleared);
    await clock.advanceBy(25);
    assert.deepEqual(fired, ['a@10', 'b@20', 'c@20']);
    assert.equal(clock.now(), 25);
  });

  it('runs a simulation of awaiting code to the end without real waiting', async () => {
    const clock = new VirtualClock(1000);
    const work = async () => {
      await clock.sleep(3_600_000);
      await clock.sleep(5);
      return clock.now();
    };
    assert.equal(await clock.runUntil(work()), 1000 + 3_600_005);
  });

  it('rejects a sleep when its signal aborts', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(sleeping, /stop/);
    assert.equal(clock.pendingTimers, 0);
  });

  it('reports a deadlock instead of hanging when nothing can settle the promise', async () => {
    const clock = new VirtualClock();
    await assert.rejects(clock.runUntil(new Promise(() => undefined)), VirtualClockDeadlockError);
  });
});
