import { buildDag } from '../../../src/core/batch/dag';
import type { DagNodeInput } from '../../../src/core/batch/dagNode';
import { Scheduler } from '../../../src/core/batch/scheduler';
import type { SchedulerEvent } from '../../../src/core/batch/schedulerEvents';
import type { SchedulerOptions, AttemptOutcome } from '../../../src/core/batch/schedulerTypes';
import { VirtualClock } from '../../../src/core/batch/schedulerVirtualClock';

/** One scripted attempt: how long it takes in virtual ms and how it ends. */
export interface ScriptedAttempt {
  readonly ms: number;
  readonly outcome?: AttemptOutcome;
  /** Keep running after an abort (a worker that ignores its signal). */
  readonly ignoreAbort?: boolean;
}

export interface Harness {
  readonly clock: VirtualClock;
  readonly scheduler: Scheduler;
  readonly events: SchedulerEvent[];
  readonly signals: Map<string, AbortSignal>;
  /** Highest number of attempts in flight at once (as seen by the runner). */
  maxInFlight(): number;
  /** `type:id` strings, in order, for compact assertions. */
  trace(types?: readonly SchedulerEvent['type'][]): string[];
}

export function harness(
  nodes: readonly DagNodeInput[],
  script: Record<string, readonly ScriptedAttempt[]>,
  options: Omit<SchedulerOptions, 'dag' | 'run' | 'clock'> = {},
): Harness {
  const clock = new VirtualClock();
  const events: SchedulerEvent[] = [];
  const signals = new Map<string, AbortSignal>();
  let inFlight = 0;
  let maxInFlight = 0;
  const scheduler = new Scheduler({
    ...options,
    dag: buildDag(nodes),
    clock,
    run: async (id, signal, attempt) => {
      signals.set(id, signal);
      const steps = script[id] ?? [{ ms: 10 }];
      const step = steps[Math.min(attempt, steps.length) - 1] ?? { ms: 10 };
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        await clock.sleep(step.ms, step.ignoreAbort ? undefined : signal);
      } finally {
        inFlight--;
      }
      return step.outcome ?? { kind: 'done' };
    },
  });
  scheduler.on((event) => events.push(event));
  return {
    clock,
    scheduler,
    events,
    signals,
    maxInFlight: () => maxInFlight,
    trace: (types) =>
      events
        .filter((e) => !types || types.includes(e.type))
        .map((e) => ('ticketId' in e ? `${e.type}:${e.ticketId}` : e.type)),
  };
}

export function chainNodes(ids: readonly string[], duration = 1): DagNodeInput[] {
  return ids.map((id, i) => ({ id, dependsOn: i === 0 ? [] : [ids[i - 1] as string], predictedFiles: [], estimatedDuration: duration }));
}
