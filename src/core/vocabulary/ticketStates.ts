/*
 * Where a ticket stands, said once (CONVENTIONS.md 22). Three vocabularies, each with who writes it,
 * and the scheduler's finer steps beside them. Nothing else in Flotilla defines a ticket state: the
 * tree, the panel, `flotilla status`, the report and the stored state all use these unions and these
 * words. This module imports nothing, so the panel's browser bundle can use it too.
 * To add a state, see README.md in this folder.
 */

/**
 * 1. The `status:` of a ticket file (ARCHITECTURE.md "Ticket file"). Written by the person who keeps
 * the tickets; Flotilla writes only `done`, when the ticket is accepted (tickets/setTicketStatus.ts).
 */
export const TICKET_FILE_STATUSES = ['open', 'in-progress', 'review', 'done'] as const;
export type TicketFileStatus = (typeof TICKET_FILE_STATUSES)[number];

/** The Tickets view's group headings, one per file status. */
export const TICKET_FILE_STATUS_LABELS: Readonly<Record<TicketFileStatus, string>> = {
  open: 'Open',
  'in-progress': 'In Progress',
  review: 'In Review',
  done: 'Done',
};

/**
 * 2. Where a ticket's run in one batch stands. Written by the batch (runBatch.ts, ticketPipeline.ts)
 * and stored by BatchRecorder as `tickets[id].state` in state.json; a crash turns a running ticket
 * back into a queued one (store/batchState.ts `interruptedState`). `done`: its gates passed and it
 * waits for a person's decision — the run is over, the ticket's life is not.
 */
export const TICKET_RUN_STATES = ['queued', 'running', 'reviewing', 'done', 'failed', 'blocked', 'cancelled'] as const;
export type TicketRunState = (typeof TICKET_RUN_STATES)[number];

const ACTIVE_RUN_STATES: ReadonlySet<TicketRunState> = new Set(['queued', 'running', 'reviewing']);

/** Not finished yet: queued, running, or in its gates and review. */
export function isActiveRunState(state: TicketRunState): boolean {
  return ACTIVE_RUN_STATES.has(state);
}

/** Finished, one way or another: done, failed, blocked or cancelled. */
export function isFinalRunState(state: TicketRunState): boolean {
  return !ACTIVE_RUN_STATES.has(state);
}

/** A person's decision on a finished ticket. Written by the session (session/reviewDecisions.ts) into `extra.reviewDecisions`. */
export const DECISIONS = ['accepted', 'rejected'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * 3. Where a ticket stands for the person who ran it (ARCHITECTURE.md idea 10), as the tree, the
 * panel, `flotilla status` and the report say it. Never stored: derived by `lifecycleOf` from the
 * run state, the decision, whether the batch was cut off and (while a batch runs) what it waits on.
 * open → running → awaiting review → accepted / rejected, or failed with its reason.
 */
export const TICKET_LIFECYCLES = ['queued', 'waiting', 'running', 'gates', 'awaitingReview', 'accepted', 'rejected', 'failed', 'cancelled', 'blocked', 'interrupted'] as const;
export type TicketLifecycle = (typeof TICKET_LIFECYCLES)[number];

export const LIFECYCLE_LABELS: Readonly<Record<TicketLifecycle, string>> = {
  queued: 'queued',
  // Queued behind a dependency of the same batch that is not done yet.
  waiting: 'waiting',
  running: 'running',
  gates: 'gates and review',
  awaitingReview: 'awaiting review',
  accepted: 'accepted',
  rejected: 'rejected',
  failed: 'failed',
  cancelled: 'cancelled',
  blocked: 'blocked',
  // Its batch stopped (a crash, a closed window) before it finished; a resume runs it.
  interrupted: 'interrupted',
};

export interface LifecycleContext {
  /** The decision taken on it since it finished. */
  readonly decision?: Decision | null;
  /** Its batch was cut off: an unfinished ticket is interrupted, not running. */
  readonly interrupted?: boolean;
  /** Tickets of its batch it waits for (a live batch knows; a stored one does not). */
  readonly waitingOn?: readonly string[];
}

/** The one derivation of a ticket's lifecycle, for every view. */
export function lifecycleOf(state: TicketRunState, context: LifecycleContext = {}): TicketLifecycle {
  switch (state) {
    case 'done':
      return context.decision ?? 'awaitingReview';
    case 'failed':
    case 'blocked':
    case 'cancelled':
      return state;
    case 'reviewing':
      return context.interrupted ? 'interrupted' : 'gates';
    case 'running':
      return context.interrupted ? 'interrupted' : 'running';
    case 'queued':
      return context.interrupted ? 'interrupted' : (context.waitingOn?.length ?? 0) > 0 ? 'waiting' : 'queued';
  }
}

/** Lifecycles whose ticket's `detail` is why it stopped (shown beside the state, not as a summary). */
export function stoppedWithReason(lifecycle: TicketLifecycle): boolean {
  return lifecycle === 'failed' || lifecycle === 'blocked' || lifecycle === 'cancelled' || lifecycle === 'interrupted';
}

/**
 * The scheduler's own steps for a ticket (batch/scheduler.ts), finer than the run state: `pending`
 * (dependencies not done), `ready` (waiting for a slot), `retrying` (after a transient failure).
 * Written by the Scheduler only; runBatch turns its final steps into run states.
 */
export const SCHEDULE_STATUSES = ['pending', 'ready', 'running', 'retrying', 'done', 'failed', 'blocked', 'cancelled'] as const;
export type ScheduleStatus = (typeof SCHEDULE_STATUSES)[number];
