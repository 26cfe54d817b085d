import assert from 'node:assert/strict';
import { VirtualClock } from '../../../src/core/batch/schedulerVirtualClock';
import { UpdateCoalescer } from '../../../src/core/panel/updateCoalescer';

describe('update coalescer', () => {
  it('turns a burst into one flush on the next tick', async () => {
    const clock = new VirtualClock();
    let flushes = 0;
    const coalescer = new UpdateCoalescer(() => flushes++, clock);
    for (let i = 0; i < 50; i++) coalescer.request();
    assert.equal(flushes, 0, 'never inside the caller');
    await clock.advanceBy(0);
    assert.equal(flushes, 1);
  });

  it('flushes at most 10 times a second however often changes come, and never drops the last one', async () => {
    const clock = new VirtualClock();
    const flushedAt: number[] = [];
    let requested = 0;
    let seen = 0;
    const coalescer = new UpdateCoalescer(() => {
      flushedAt.push(clock.now());
      seen = requested;
    }, clock);
    for (let ms = 0; ms < 1000; ms += 3) {
      requested++;
      coalescer.request();
      await clock.advanceBy(3);
    }
    await clock.advanceBy(200);
    assert.ok(flushedAt.length <= 11 && flushedAt.length >= 9, `flushes: ${flushedAt.length}`);
    for (let i = 1; i < flushedAt.length; i++) assert.ok((flushedAt[i] as number) - (flushedAt[i - 1] as number) >= 100, `gap ${i}`);
    assert.equal(seen, requested, 'the last change was flushed');
    assert.equal(clock.pendingTimers, 0);
  });

  it('does nothing after dispose', async () => {
    const clock = new VirtualClock();
    let flushes = 0;
    const coalescer = new UpdateCoalescer(() => flushes++, clock);
    coalescer.request();
    coalescer.dispose();
    coalescer.request();
    await clock.advanceBy(1000);
    assert.equal(flushes, 0);
    assert.equal(clock.pendingTimers, 0);
  });
});
