import type { SchedulerClock, TimerHandle } from './schedulerClock';

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/** Thrown when a simulation waits for something that no pending timer can ever bring about. */
export class VirtualClockDeadlockError extends Error {
  override readonly name = 'VirtualClockDeadlockError';
}

/**
 * A clock that only moves when told to: an event-driven simulation. Timers fire in time order
 * (equal times in the order they were set), and pending promise callbacks run between timers,
 * so code that awaits behaves as it would in real time, only without the waiting.
 */
export class VirtualClock implements SchedulerClock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, VirtualTimer>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const seq = this.seq++;
    this.timers.set(seq, { at: this.time + Math.max(0, ms), seq, callback });
    return seq;
  }

  clearTimer(handle: TimerHandle): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Resolves after `ms` of virtual time; rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = (): void => {
        this.clearTimer(handle);
        reject(signal?.reason);
      };
      const handle = this.setTimer(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Lets every queued promise callback run (a macrotask runs only once the microtask queue is empty). */
  async flush(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advanceBy(ms: number): Promise<void> {
    const until = this.time + ms;
    await this.flush();
    for (let next = this.nextTimer(); next && next.at <= until; next = this.nextTimer()) {
      this.fire(next);
      await this.flush();
    }
    this.time = until;
  }

  /** Runs the simulation until `promise` settles, jumping from timer to timer. */
  async runUntil<T>(promise: Promise<T>): Promise<T> {
    let settled = false;
    const watched = promise.finally(() => {
      settled = true;
    });
    watched.catch(() => undefined);
    await this.flush();
    while (!settled) {
      const next = this.nextTimer();
      if (!next) throw new VirtualClockDeadlockError(`nothing left to happen at t=${this.time} and the awaited promise has not settled`);
      this.fire(next);
      await this.flush();
    }
    return watched;
  }

  private nextTimer(): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const timer of this.timers.values()) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  }

  private fire(timer: VirtualTimer): void {
    this.timers.delete(timer.seq);
    this.time = Math.max(this.time, timer.at);
    timer.callback();
  }
}
