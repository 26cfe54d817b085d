/** Opaque: whatever the clock's setTimer returned, handed back to clearTimer. */
export type TimerHandle = unknown;

/** Time as the scheduler sees it; tests and the benchmark pass a VirtualClock instead. */
export interface SchedulerClock {
  /** Milliseconds on this clock's own scale (only differences matter). */
  now(): number;
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
