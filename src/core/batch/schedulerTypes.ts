import { z } from 'zod';
import type { Logger } from '../logger';
import type { Dag } from './dagNode';
import type { SchedulerClock } from './schedulerClock';
import type { ScheduleStatus } from '../vocabulary/ticketStates';

/** How one attempt at a ticket ended, as reported by whoever runs it (a worker, a test, the benchmark). */
export const attemptOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('done') }),
  /** Final: the ticket fails and its dependents are blocked. */
  z.object({ kind: z.literal('failed'), reason: z.string() }),
  /** Worth another attempt (rate limit, overloaded API, a dropped connection). */
  z.object({ kind: z.literal('transient'), reason: z.string() }),
]);

export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

/**
 * Runs one attempt at a ticket. `signal` aborts on cancel or timeout; the run must stop soon after,
 * because the scheduler frees the slot at once and ignores whatever the aborted run reports.
 * `attempt` starts at 1.
 */
export type RunTicket = (ticketId: string, signal: AbortSignal, attempt: number) => Promise<AttemptOutcome>;

/** The scheduler's last word on a ticket: done, failed, blocked or cancelled (the final run states). */
export function isTerminalStatus(status: ScheduleStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'blocked' || status === 'cancelled';
}

/** One ticket as the scheduler sees it. */
export interface ScheduledTicket {
  readonly id: string;
  readonly status: ScheduleStatus;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Why it failed, was blocked, is retrying or was cancelled. */
  readonly reason?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
}

export interface SchedulerResult {
  /** Final state of every ticket, in the DAG's topological order. */
  readonly tickets: readonly ScheduledTicket[];
  readonly startedAt: number;
  readonly endedAt: number;
}

export const DEFAULT_CONCURRENCY = 3;
export const DEFAULT_MAX_RETRIES = 2;

/** 1 s, 2 s, 4 s … capped at 30 s: long enough for a rate limit window to move on. */
export function defaultBackoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** (attempt - 1));
}

export interface SchedulerOptions {
  readonly dag: Dag;
  readonly run: RunTicket;
  /** Tickets running at once (default 3); change it later with setConcurrency. */
  readonly concurrency?: number;
  /** Per attempt; a ticket that exceeds it is aborted and fails (no retry). Omit for none. */
  readonly timeoutMs?: number;
  /** Extra attempts after transient outcomes (default 2, so at most 3 attempts). */
  readonly maxRetries?: number;
  /** Delay before attempt `attempt + 1`, given the attempt that just failed. */
  readonly backoffMs?: (attempt: number) => number;
  readonly clock?: SchedulerClock;
  readonly logger?: Logger;
}

/** A setting the scheduler cannot work with (a concurrency of 0, a negative timeout …). */
export class SchedulerOptionError extends Error {
  override readonly name = 'SchedulerOptionError';
}

/** The abort reason a run sees when the user cancels its ticket or the whole batch. */
export class TicketCancelledError extends Error {
  override readonly name = 'TicketCancelledError';

  constructor(readonly ticketId: string) {
    super(`${ticketId} was cancelled`);
  }
}

/** The abort reason a run sees when its attempt takes longer than the per-ticket timeout. */
export class TicketTimeoutError extends Error {
  override readonly name = 'TicketTimeoutError';

  constructor(
    readonly ticketId: string,
    readonly timeoutMs: number,
  ) {
    super(`timed out after ${formatDuration(timeoutMs)}`);
  }
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`;
}
