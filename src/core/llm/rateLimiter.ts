import type { HeaderReader } from './retryPolicy';
import { realSleep, type Sleep } from './sleep';

export interface RateLimiterOptions {
  /** The ceiling of the concurrency window (the batch's worker count, typically). */
  maxConcurrency: number;
  /** Where the window starts; defaults to maxConcurrency. */
  initialConcurrency?: number;
  /** Additive increase: +1 after this many successes in a row at the current window. Default: the window size. */
  increaseEvery?: number;
  /** Pause new starts when a remaining counter falls to this share of its limit. Default 0.05. */
  lowWaterFraction?: number;
  /** Never pause longer than this on a header's word (protects against clock skew). Default 60 s. */
  maxPauseMs?: number;
  /** Added to a header's reset time: resets are given to the second, so waking exactly on it can be early. Default 1 s. */
  resetMarginMs?: number;
  clock?: () => number;
  sleep?: Sleep;
}

export type AttemptOutcome =
  | { kind: 'success'; headers?: HeaderReader }
  | { kind: 'rate_limited'; headers?: HeaderReader; retryAfterMs?: number | null }
  /** Any other ending (error, cancel): frees the slot without moving the window. */
  | { kind: 'other'; headers?: HeaderReader };

export interface RateLimitPermit {
  /** Frees the slot and teaches the limiter; call exactly once per permit. */
  release(outcome: AttemptOutcome): void;
}

/** The counters the API reports; each pauses starts until its reset when it runs low. */
const COUNTERS = ['requests', 'tokens', 'input-tokens', 'output-tokens'] as const;

interface Waiter {
  grant(): void;
}

/**
 * One limiter shared by every worker of the process. It gates how many calls run at once with an
 * AIMD window (halve on a 429, +1 after a run of successes, so it settles just under the account's
 * limit) and holds new starts while the `anthropic-ratelimit-*` headers say a counter is nearly
 * spent — so workers slow down before the server starts answering 429.
 */
export class RateLimiter {
  private readonly max: number;
  private readonly increaseEvery: number | undefined;
  private readonly lowWaterFraction: number;
  private readonly maxPauseMs: number;
  private readonly resetMarginMs: number;
  private readonly clock: () => number;
  private readonly sleep: Sleep;
  private window: number;
  private running = 0;
  private successesInRow = 0;
  private pausedUntil = 0;
  private readonly queue: Waiter[] = [];

  constructor(options: RateLimiterOptions) {
    this.max = Math.max(1, Math.floor(options.maxConcurrency));
    this.window = Math.min(this.max, Math.max(1, Math.floor(options.initialConcurrency ?? this.max)));
    this.increaseEvery = options.increaseEvery;
    this.lowWaterFraction = options.lowWaterFraction ?? 0.05;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.resetMarginMs = options.resetMarginMs ?? 1000;
    this.clock = options.clock ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
  }

  /** Current concurrency window (for the UI and tests). */
  get concurrency(): number {
    return this.window;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Epoch ms before which no call starts (0 when not paused). */
  get pausedUntilMs(): number {
    return this.pausedUntil;
  }

  /** Waits for a slot and for any header-driven pause to end. Rejects with the signal's reason on abort. */
  async acquire(signal?: AbortSignal): Promise<RateLimitPermit> {
    signal?.throwIfAborted();
    if (this.running < this.window && this.queue.length === 0) {
      this.running += 1;
    } else {
      await this.enqueue(signal);
    }
    try {
      for (let wait = this.pausedUntil - this.clock(); wait > 0; wait = this.pausedUntil - this.clock()) {
        await this.sleep(wait, signal);
      }
    } catch (error) {
      this.free();
      throw error;
    }
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        this.learn(outcome);
        this.free();
      },
    };
  }

  private enqueue(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private free(): void {
    this.running -= 1;
    this.pump();
  }

  /** Hands free slots to waiters in arrival order; the granter counts the slot as taken. */
  private pump(): void {
    while (this.running < this.window && this.queue.length > 0) {
      this.running += 1;
      this.queue.shift()?.grant();
    }
  }

  private learn(outcome: AttemptOutcome): void {
    if (outcome.headers) this.observe(outcome.headers);
    if (outcome.kind === 'rate_limited') {
      this.window = Math.max(1, Math.floor(this.window / 2));
      this.successesInRow = 0;
      if (outcome.retryAfterMs) this.pauseUntil(this.clock() + outcome.retryAfterMs);
    } else if (outcome.kind === 'success') {
      this.successesInRow += 1;
      if (this.window < this.max && this.successesInRow >= (this.increaseEvery ?? this.window)) {
        this.window += 1;
        this.successesInRow = 0;
      }
    }
  }

  /** Reads the anthropic-ratelimit-* headers; a counter at or under its low-water mark pauses starts until it resets. */
  observe(headers: HeaderReader): void {
    for (const counter of COUNTERS) {
      const prefix = `anthropic-ratelimit-${counter}`;
      const limit = Number(headers.get(`${prefix}-limit`));
      const remaining = Number(headers.get(`${prefix}-remaining`) ?? Number.NaN);
      const reset = Date.parse(headers.get(`${prefix}-reset`) ?? '');
      if (!Number.isFinite(remaining) || Number.isNaN(reset)) continue;
      const lowWater = Number.isFinite(limit) && limit > 0 ? Math.ceil(limit * this.lowWaterFraction) : 0;
      if (remaining <= lowWater) this.pauseUntil(reset + this.resetMarginMs);
    }
  }

  private pauseUntil(epochMs: number): void {
    const capped = Math.min(epochMs, this.clock() + this.maxPauseMs);
    this.pausedUntil = Math.max(this.pausedUntil, capped);
  }
}
