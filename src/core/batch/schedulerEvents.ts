import type { Logger } from '../logger';
import { errorMessage } from '../errorText';

/** What the scheduler reports, so the UI and the CLI can follow a batch without polling. */
export type SchedulerEvent =
  | { readonly type: 'started'; readonly ticketId: string; readonly attempt: number; readonly at: number }
  | { readonly type: 'finished'; readonly ticketId: string; readonly attempt: number; readonly at: number }
  | { readonly type: 'failed'; readonly ticketId: string; readonly attempt: number; readonly reason: string; readonly at: number }
  | { readonly type: 'blocked'; readonly ticketId: string; readonly blockedBy: string; readonly reason: string; readonly at: number }
  | {
      readonly type: 'retrying';
      readonly ticketId: string;
      /** The attempt that ended in a transient failure; the next one is `attempt + 1`. */
      readonly attempt: number;
      readonly reason: string;
      readonly delayMs: number;
      readonly at: number;
    }
  | { readonly type: 'cancelled'; readonly ticketId: string; readonly at: number }
  | { readonly type: 'paused'; readonly at: number }
  | { readonly type: 'resumed'; readonly at: number }
  /** Nothing runs and nothing can start: the batch is complete, or it is paused. */
  | { readonly type: 'idle'; readonly complete: boolean; readonly at: number };

export type SchedulerEventType = SchedulerEvent['type'];
export type SchedulerListener = (event: SchedulerEvent) => void;

/** A tiny listener list; one listener that throws must not stop the batch or the other listeners. */
export class SchedulerEventListeners {
  private readonly listeners = new Set<SchedulerListener>();

  constructor(private readonly logger: Logger) {}

  /** Returns the function that unsubscribes. */
  on(listener: SchedulerListener): () => void {
    // Wrapped so the same function can subscribe twice and each subscription ends on its own.
    const entry: SchedulerListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(event: SchedulerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(`scheduler listener failed on "${event.type}": ${errorMessage(error)}`);
      }
    }
  }
}
