import assert from 'node:assert/strict';
import { RateLimiter } from '../../../src/core/llm/rateLimiter';
import type { Sleep } from '../../../src/core/llm/sleep';

/** A clock that only moves when the limiter sleeps, so pauses are measured exactly. */
function fakeTime(start = Date.parse('2026-10-24T10:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted();
    sleeps.push(ms);
    now += ms;
  };
  return { clock: () => now, sleep, sleeps, advance: (ms: number) => (now += ms) };
}

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('RateLimiter', () => {
  it('never runs more calls than the window', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 2, ...time });
    const a = await limiter.acquire();
    await limiter.acquire();
    let thirdStarted = false;
    const third = limiter.acquire().then((p) => {
      thirdStarted = true;
      return p;
    });
    await flush();
    assert.equal(thirdStarted, false);
    assert.equal(limiter.inFlight, 2);
    a.release({ kind: 'success' });
    await third;
    assert.equal(thirdStarted, true);
    assert.equal(limiter.inFlight, 2);
  });

  it('halves the window on a 429 and grows it back by one per run of successes (AIMD)', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 8, increaseEvery: 2, ...time });
    (await limiter.acquire()).release({ kind: 'rate_limited' });
    assert.equal(limiter.concurrency, 4);
    (await limiter.acquire()).release({ kind: 'rate_limited' });
    assert.equal(limiter.concurrency, 2);
    for (let i = 0; i < 2; i++) (await limiter.acquire()).release({ kind: 'success' });
    assert.equal(limiter.concurrency, 3);
    for (let i = 0; i < 10; i++) (await limiter.acquire()).release({ kind: 'success' });
    assert.equal(limiter.concurrency, 8);
    for (let i = 0; i < 5; i++) (await limiter.acquire()).release({ kind: 'rate_limited' });
    assert.equal(limiter.concurrency, 1, 'never below one');
  });

  it('holds new starts for retry-after after a 429', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 4, ...time });
    (await limiter.acquire()).release({ kind: 'rate_limited', retryAfterMs: 1500 });
    const start = time.clock();
    await limiter.acquire();
    assert.equal(time.clock() - start, 1500);
  });

  it('pauses starts until the reset when the headers say a counter is nearly spent', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 4, ...time });
    const reset = new Date(time.clock() + 7000).toISOString();
    (await limiter.acquire()).release({
      kind: 'success',
      headers: headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '40',
        'anthropic-ratelimit-requests-reset': reset,
        'anthropic-ratelimit-input-tokens-limit': '100000',
        'anthropic-ratelimit-input-tokens-remaining': '3000',
        'anthropic-ratelimit-input-tokens-reset': reset,
      }),
    });
    assert.equal(limiter.pausedUntilMs, Date.parse(reset) + 1000, 'reset plus the one-second margin');
    const start = time.clock();
    await limiter.acquire();
    assert.equal(time.clock() - start, 8000);
  });

  it('does not pause while counters are healthy', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 4, ...time });
    (await limiter.acquire()).release({
      kind: 'success',
      headers: headers({
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '49',
        'anthropic-ratelimit-requests-reset': new Date(time.clock() + 60_000).toISOString(),
      }),
    });
    await limiter.acquire();
    assert.deepEqual(time.sleeps, []);
  });

  it('caps a pause that a skewed reset time would make very long', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 1, maxPauseMs: 1000, ...time });
    limiter.observe(
      headers({
        'anthropic-ratelimit-tokens-limit': '10',
        'anthropic-ratelimit-tokens-remaining': '0',
        'anthropic-ratelimit-tokens-reset': new Date(time.clock() + 3_600_000).toISOString(),
      }),
    );
    assert.equal(limiter.pausedUntilMs, time.clock() + 1000);
  });

  it('drops a queued waiter whose signal aborts, and frees the slot of one aborted while paused', async () => {
    const time = fakeTime();
    const limiter = new RateLimiter({ maxConcurrency: 1, ...time });
    const held = await limiter.acquire();
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(queued, /stop/);
    held.release({ kind: 'other' });
    assert.equal(limiter.inFlight, 0);
    const next = await limiter.acquire();
    assert.equal(limiter.inFlight, 1);
    next.release({ kind: 'other' });
    next.release({ kind: 'other' });
    assert.equal(limiter.inFlight, 0, 'a second release is ignored');
  });
});
