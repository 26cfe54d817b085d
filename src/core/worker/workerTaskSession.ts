// No `vscode` import on purpose: this is the pseudoterminal's behaviour, unit-tested without a host.
import type { TicketWorkerResult } from './runTicketWorker';
import { WorkerLogBuffer } from './workerLogBuffer';
import { ansiLine, exitCodeFor, formatRunError, WorkerLogFormatter, type WorkerLogLine } from './workerLogFormat';
import type { WorkerEventListener } from './workerEvents';

export type WorkerRun = (signal: AbortSignal, onEvent: WorkerEventListener) => Promise<TicketWorkerResult>;

/** The terminal was closed (or the task terminated) before the worker started; nothing ran. */
export class WorkerTaskNotStartedError extends Error {
  constructor(readonly ticketId: string) {
    super(`The task for ${ticketId} was closed before its worker started.`);
    this.name = 'WorkerTaskNotStartedError';
  }
}

export interface WorkerTaskSessionOptions {
  readonly ticketId: string;
  readonly run: WorkerRun;
  /** Text for the terminal (ANSI, \r\n line ends). */
  readonly write: (data: string) => void;
  /** The run is over; the terminal may close with this exit code. */
  readonly exit: (code: number) => void;
  /** Plain-text copy of everything written. */
  readonly output: WorkerLogBuffer;
  /** Lines shown before the worker's own events (what runs where). */
  readonly header?: readonly WorkerLogLine[];
  /**
   * Gates and a review judge a finished run: the terminal stays open after the worker and shows
   * their verdict (reviewed()), and its exit code is theirs.
   */
  readonly reviewFollows?: boolean;
}

/**
 * One worker run behind a pseudoterminal: open() starts it, close() aborts it, and `result` settles
 * when the run does. Closing is the only way a user stops a task, so it must always reach the signal.
 */
export class WorkerTaskSession {
  readonly result: Promise<TicketWorkerResult>;
  /** Settles when the terminal has nothing more to show (after the verdict, when a review follows). */
  readonly finished: Promise<void>;
  private markFinished!: () => void;
  private readonly controller = new AbortController();
  private readonly formatter = new WorkerLogFormatter();
  private state: 'new' | 'running' | 'awaiting-review' | 'ended' = 'new';
  private settle!: { resolve: (r: TicketWorkerResult) => void; reject: (e: unknown) => void };

  constructor(private readonly options: WorkerTaskSessionOptions) {
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
    // A session can be settled with nobody awaiting it (the task failed to start); that is not an
    // unhandled rejection in the extension host. Awaiting callers still see the error.
    this.result.catch(() => undefined);
  }

  get started(): boolean {
    return this.state !== 'new';
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  open(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.emit(this.options.header ?? []);
    const onEvent: WorkerEventListener = (event) => {
      // A rendering problem must never end the worker: the log is for people, the result is what counts.
      try {
        this.emit(this.formatter.format(event));
      } catch {
        // The event is lost from the log; the run goes on.
      }
    };
    let running: Promise<TicketWorkerResult>;
    try {
      running = this.options.run(this.controller.signal, onEvent);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (result) => {
        const reviewFollows = this.options.reviewFollows === true && result.status === 'done' && this.state === 'running';
        this.emit(this.formatter.finish(result, { reviewFollows }));
        if (reviewFollows) {
          this.state = 'awaiting-review';
          this.emit([{ style: 'phase', text: '▸ running gates and review…' }]);
        } else {
          this.end(exitCodeFor(result.status));
        }
        this.settle.resolve(result);
      },
      (error: unknown) => {
        this.emit([...this.formatter.flush(), ...formatRunError(error)]);
        this.end(1);
        this.settle.reject(error);
      },
    );
  }

  /** Whether the worker is done and the terminal waits for the gates' verdict. */
  get awaitingReview(): boolean {
    return this.state === 'awaiting-review';
  }

  /** The gates' and reviewers' verdict (or why there is none): shown, then the terminal ends with its exit code. */
  reviewed(lines: readonly WorkerLogLine[], passed: boolean): void {
    if (this.state !== 'awaiting-review') return;
    this.emit(lines);
    this.end(passed ? 0 : 1);
  }

  /** The user closed the terminal or terminated the task: cancel the worker. */
  close(): void {
    if (this.state === 'awaiting-review') {
      // The worker is over; only the wait for the verdict ends. The batch goes on.
      this.state = 'ended';
      this.markFinished();
      return;
    }
    this.controller.abort(new Error('the task was terminated'));
    if (this.state === 'new') {
      this.state = 'ended';
      this.markFinished();
      this.settle.reject(new WorkerTaskNotStartedError(this.options.ticketId));
    }
  }

  /** The task ended without ever opening its terminal (VS Code refused or dropped it). */
  abandon(error: unknown): void {
    if (this.state !== 'new') return;
    this.state = 'ended';
    this.markFinished();
    this.controller.abort(error);
    this.settle.reject(error);
  }

  private end(code: number): void {
    this.state = 'ended';
    this.options.exit(code);
    this.markFinished();
  }

  private emit(lines: readonly WorkerLogLine[]): void {
    for (const line of lines) {
      this.options.output.push(line.text);
      this.options.write(ansiLine(line));
    }
  }
}
