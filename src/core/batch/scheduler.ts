import { silentLogger, type Logger } from '../logger';
import type { Dag, DagNode } from './dagNode';
import { systemClock, type SchedulerClock, type TimerHandle } from './schedulerClock';
import { SchedulerEventListeners, type SchedulerListener } from './schedulerEvents';
import { ReadyQueue } from './schedulerReadyQueue';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  SchedulerOptionError,
  TicketCancelledError,
  TicketTimeoutError,
  defaultBackoffMs,
  isTerminalStatus,
  attemptOutcomeSchema,
  type AttemptOutcome,
  type RunTicket,
  type ScheduledTicket,
  type SchedulerOptions,
  type SchedulerResult,
} from './schedulerTypes';
import type { ScheduleStatus } from '../vocabulary/ticketStates';
import { errorMessage } from '../errorText';

interface Entry {
  readonly node: DagNode;
  status: ScheduleStatus;
  attempts: number;
  reason?: string;
  startedAt?: number;
  endedAt?: number;
  /** Prerequisites (dependsOn and file overlap) not yet settled. */
  waitingOn: number;
  /** Present while an attempt is in flight; identity tells a live result from a stale one. */
  controller?: AbortController;
  /** The per-attempt timeout, or the backoff before the next attempt. */
  timer?: TimerHandle;
}

/** Why a ticket's dependents are blocked: the ticket that failed or was cancelled first. */
interface BlockCause {
  readonly id: string;
  readonly text: string;
}

/**
 * Runs a DAG of tickets through a ready queue: at most `concurrency` at once, longest remaining
 * critical path first, a ticket starting as soon as its own prerequisites are settled (no waves).
 * A failed or cancelled ticket blocks its transitive dependents; independent tickets carry on.
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly ready = new ReadyQueue();
  private readonly listeners: SchedulerEventListeners;
  private readonly dag: Dag;
  private readonly run: RunTicket;
  private readonly clock: SchedulerClock;
  private readonly timeoutMs: number | undefined;
  private readonly maxRetries: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly logger: Logger;
  private concurrency: number;
  /** Tickets holding a slot: running, or waiting out a backoff between attempts. */
  private holding = 0;
  private settled = 0;
  private paused = false;
  private cancellingAll = false;
  /** The last idle event's `complete`, or undefined once something has started since. */
  private idleReported: boolean | undefined;
  private startedAt: number | undefined;
  private completion: { promise: Promise<SchedulerResult>; resolve: (result: SchedulerResult) => void } | undefined;

  constructor(options: SchedulerOptions) {
    this.dag = options.dag;
    this.run = options.run;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.listeners = new SchedulerEventListeners(this.logger);
    this.concurrency = checkConcurrency(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(this.maxRetries) || this.maxRetries < 0) throw new SchedulerOptionError(`maxRetries must be a whole number ≥ 0, not ${this.maxRetries}`);
    this.timeoutMs = options.timeoutMs;
    if (this.timeoutMs !== undefined && !(this.timeoutMs > 0 && Number.isFinite(this.timeoutMs))) {
      throw new SchedulerOptionError(`timeoutMs must be a positive number of milliseconds, not ${this.timeoutMs}`);
    }
    this.backoffMs = options.backoffMs ?? defaultBackoffMs;

    for (const id of this.dag.order) {
      const node = this.dag.nodes.get(id) as DagNode;
      const entry: Entry = { node, status: 'pending', attempts: 0, waitingOn: node.dependsOn.length + node.runsAfter.length };
      this.entries.set(id, entry);
      if (entry.waitingOn === 0) this.markReady(entry);
    }
  }

  /** Subscribe to events; returns the function that unsubscribes. */
  on(listener: SchedulerListener): () => void {
    return this.listeners.on(listener);
  }

  /** Starts the batch (once; later calls return the same promise), resolving when every ticket is settled. */
  start(): Promise<SchedulerResult> {
    if (this.completion) return this.completion.promise;
    let resolve: (result: SchedulerResult) => void = () => undefined;
    const promise = new Promise<SchedulerResult>((r) => {
      resolve = r;
    });
    this.completion = { promise, resolve };
    this.startedAt = this.clock.now();
    this.afterChange();
    return promise;
  }

  /** Cancels one ticket (aborting it if running) and blocks its dependents. False if already settled or unknown. */
  cancel(ticketId: string): boolean {
    const entry = this.entries.get(ticketId);
    if (!entry || isTerminalStatus(entry.status)) return false;
    this.settle(entry, 'cancelled', 'cancelled', new TicketCancelledError(ticketId));
    this.afterChange();
    return true;
  }

  /** Cancels every ticket not yet settled; dependents are cancelled too rather than blocked. */
  cancelAll(): void {
    this.cancellingAll = true;
    try {
      for (const id of this.dag.order) {
        const entry = this.entries.get(id) as Entry;
        if (!isTerminalStatus(entry.status)) this.settle(entry, 'cancelled', 'cancelled', new TicketCancelledError(id));
      }
    } finally {
      this.cancellingAll = false;
    }
    this.afterChange();
  }

  /** Starts no new ticket until resume(); running tickets (and their retries) finish. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.listeners.emit({ type: 'paused', at: this.clock.now() });
    this.afterChange();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.listeners.emit({ type: 'resumed', at: this.clock.now() });
    this.afterChange();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Lowering it lets running tickets finish; it only limits what starts next (the AIMD limiter uses this). */
  setConcurrency(concurrency: number): void {
    this.concurrency = checkConcurrency(concurrency);
    this.afterChange();
  }

  get currentConcurrency(): number {
    return this.concurrency;
  }

  state(ticketId: string): ScheduledTicket | undefined {
    const entry = this.entries.get(ticketId);
    return entry ? toState(entry) : undefined;
  }

  /** Every ticket's state in topological order. */
  snapshot(): ScheduledTicket[] {
    return this.dag.order.map((id) => toState(this.entries.get(id) as Entry));
  }

  private markReady(entry: Entry): void {
    entry.status = 'ready';
    this.ready.add(entry.node);
  }

  private release(id: string): void {
    const entry = this.entries.get(id) as Entry;
    entry.waitingOn--;
    if (entry.waitingOn === 0 && entry.status === 'pending') this.markReady(entry);
  }

  private afterChange(): void {
    if (!this.completion) return;
    while (!this.paused && this.holding < this.concurrency) {
      const node = this.ready.pop();
      if (!node) break;
      const entry = this.entries.get(node.id) as Entry;
      this.holding++;
      this.idleReported = undefined;
      entry.startedAt = this.clock.now();
      this.attempt(entry, 1);
    }
    this.reportIdle();
  }

  private reportIdle(): void {
    const complete = this.settled === this.entries.size;
    if (this.holding > 0 || !(complete || this.paused)) return;
    if (this.idleReported !== complete) {
      this.idleReported = complete;
      this.listeners.emit({ type: 'idle', complete, at: this.clock.now() });
    }
    if (complete && this.completion) {
      this.completion.resolve({ tickets: this.snapshot(), startedAt: this.startedAt ?? this.clock.now(), endedAt: this.clock.now() });
    }
  }

  private attempt(entry: Entry, attempt: number): void {
    const id = entry.node.id;
    const controller = new AbortController();
    entry.status = 'running';
    entry.attempts = attempt;
    entry.reason = undefined;
    entry.controller = controller;
    this.logger.debug(`scheduler: starting ${id} (attempt ${attempt})`);
    this.listeners.emit({ type: 'started', ticketId: id, attempt, at: this.clock.now() });
    if (this.timeoutMs !== undefined) {
      const timeoutMs = this.timeoutMs;
      entry.timer = this.clock.setTimer(() => {
        if (entry.controller !== controller) return;
        const error = new TicketTimeoutError(id, timeoutMs);
        this.settle(entry, 'failed', error.message, error);
        this.afterChange();
      }, timeoutMs);
    }

    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(this.run(id, controller.signal, attempt));
    } catch (error) {
      pending = Promise.reject(error);
    }
    void pending
      .then(parseOutcome, (error: unknown): AttemptOutcome => ({ kind: 'failed', reason: errorMessage(error) }))
      .then((outcome) => this.onOutcome(entry, controller, attempt, outcome));
  }

  private onOutcome(entry: Entry, controller: AbortController, attempt: number, outcome: AttemptOutcome): void {
    // A cancelled or timed-out attempt was settled already; what it reports afterwards is ignored.
    if (entry.controller !== controller) return;
    entry.controller = undefined;
    this.clearTimer(entry);
    if (outcome.kind === 'done') {
      this.settle(entry, 'done');
    } else if (outcome.kind === 'failed') {
      this.settle(entry, 'failed', outcome.reason);
    } else if (attempt > this.maxRetries) {
      this.settle(entry, 'failed', `gave up after ${attempt} attempts: ${outcome.reason}`);
    } else {
      const delayMs = Math.max(0, this.backoffMs(attempt));
      entry.status = 'retrying';
      entry.reason = outcome.reason;
      this.listeners.emit({ type: 'retrying', ticketId: entry.node.id, attempt, reason: outcome.reason, delayMs, at: this.clock.now() });
      // The ticket keeps its slot while it waits: a transient failure usually means the API wants less load.
      entry.timer = this.clock.setTimer(() => {
        entry.timer = undefined;
        if (entry.status === 'retrying') this.attempt(entry, attempt + 1);
      }, delayMs);
    }
    this.afterChange();
  }

  /**
   * Settles one ticket, then blocks its transitive dependents (breadth-first with a work list, so a
   * failure at the head of a 10,000-ticket chain cannot overflow the stack). Every blocked ticket
   * names the root cause, not the ticket in between.
   */
  private settle(entry: Entry, status: 'done' | 'failed' | 'cancelled', reason?: string, abortReason?: Error): void {
    if (!this.settleOne(entry, status, reason, abortReason)) return;
    const root: BlockCause = { id: entry.node.id, text: status === 'failed' ? `failed (${reason ?? 'no reason given'})` : status };
    const toBlock = status === 'done' || this.cancellingAll ? [] : [...entry.node.dependents];
    while (toBlock.length > 0) {
      const blocked = this.entries.get(toBlock.shift() as string) as Entry;
      if (this.settleOne(blocked, 'blocked', `blocked: dependency ${root.id} ${root.text}`, undefined, root)) toBlock.push(...blocked.node.dependents);
    }
  }

  /** Records the end of one ticket, emits its event and releases what waited on it. False if it had ended already. */
  private settleOne(entry: Entry, status: 'done' | 'failed' | 'cancelled' | 'blocked', reason?: string, abortReason?: Error, cause?: BlockCause): boolean {
    if (isTerminalStatus(entry.status)) return false;
    const id = entry.node.id;
    const wasHolding = entry.status === 'running' || entry.status === 'retrying';
    if (entry.status === 'ready') this.ready.remove(id);
    const controller = entry.controller;
    entry.controller = undefined;
    this.clearTimer(entry);
    entry.status = status;
    entry.reason = reason;
    entry.endedAt = this.clock.now();
    this.settled++;
    if (wasHolding) this.holding--;
    if (controller && abortReason) controller.abort(abortReason);

    const at = entry.endedAt;
    if (status === 'done') this.listeners.emit({ type: 'finished', ticketId: id, attempt: entry.attempts, at });
    else if (status === 'failed') this.listeners.emit({ type: 'failed', ticketId: id, attempt: entry.attempts, reason: reason ?? 'failed', at });
    else if (status === 'cancelled') this.listeners.emit({ type: 'cancelled', ticketId: id, at });
    else this.listeners.emit({ type: 'blocked', ticketId: id, blockedBy: cause?.id ?? '', reason: reason ?? 'blocked', at });

    // A shared file only orders tickets, so whatever happened here, the next one may go.
    for (const after of entry.node.runsBefore) this.release(after);
    // Dependents of a failure are blocked by settle(); during cancelAll they are cancelled in turn.
    if (status === 'done' || this.cancellingAll) for (const dependent of entry.node.dependents) this.release(dependent);
    return true;
  }

  private clearTimer(entry: Entry): void {
    if (entry.timer !== undefined) this.clock.clearTimer(entry.timer);
    entry.timer = undefined;
  }
}

function checkConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new SchedulerOptionError(`concurrency must be a whole number ≥ 1, not ${value}`);
  return value;
}

/** The run's result is a boundary: anything that is not a valid outcome fails the ticket with the reason. */
function parseOutcome(value: unknown): AttemptOutcome {
  const parsed = attemptOutcomeSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  return { kind: 'failed', reason: `invalid outcome from the runner: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
}

function toState(entry: Entry): ScheduledTicket {
  return {
    id: entry.node.id,
    status: entry.status,
    attempts: entry.attempts,
    ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
    ...(entry.startedAt !== undefined ? { startedAt: entry.startedAt } : {}),
    ...(entry.endedAt !== undefined ? { endedAt: entry.endedAt } : {}),
  };
}
