import { systemClock, type SchedulerClock, type TimerHandle } from '../batch/schedulerClock';

/** At most 10 updates a second: a batch emits a burst of events per tool call, a person reads at most that fast. */
export const MIN_UPDATE_INTERVAL_MS = 100;

/**
 * Turns any number of change notifications into flushes at least `intervalMs` apart. The first change
 * after a quiet spell flushes on the next tick (so one burst becomes one flush); changes during the
 * interval wait for its end and are flushed together. Runs on the scheduler's clock abstraction, so
 * tests drive it with the virtual clock.
 */
export class UpdateCoalescer {
  private timer: TimerHandle | undefined = undefined;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    private readonly clock: SchedulerClock = systemClock,
    private readonly intervalMs: number = MIN_UPDATE_INTERVAL_MS,
  ) {}

  request(): void {
    if (this.disposed || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimer(() => this.run(), wait);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    this.timer = undefined;
    if (this.disposed) return;
    this.lastFlush = this.clock.now();
    this.flush();
  }
}
