import { z } from 'zod';
import { TIERS } from '../llm/usageRecord';
import { COMPLEXITY_CLASSES } from '../routing/complexityScore';
import { BATCH_MODES, BATCH_STATUSES, type BatchMode } from '../vocabulary/batchStates';
import { isActiveRunState, TICKET_RUN_STATES } from '../vocabulary/ticketStates';

/** Version of state.json; bump only by adding optional fields. */
export const BATCH_STATE_VERSION = 1;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
const usd = z.number().nonnegative();

/** One try of a ticket at one tier: escalation appends a new entry. */
export const tierAttemptSchema = z.object({
  tier: z.enum(TIERS),
  model: z.string(),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  /** Fix loops spent at this tier. */
  fixLoops: z.number().int().nonnegative(),
  /** Gates passed or failed at the end of this attempt; null while running or when cut off. */
  result: z.enum(['passed', 'failed']).nullable(),
  costUsd: usd,
});
export type TierAttempt = z.infer<typeof tierAttemptSchema>;

export const storedTicketSchema = z.object({
  /** The run state (vocabulary/ticketStates.ts); older versions stored `reviewing` as `running`. */
  status: z.enum(TICKET_RUN_STATES),
  complexityClass: z.enum(COMPLEXITY_CLASSES).nullable().default(null),
  /** The ticket's git branch once its worktree exists: kept across a crash so work is not lost. */
  branch: z.string().nullable().default(null),
  worktree: z.string().nullable().default(null),
  tierHistory: z.array(tierAttemptSchema).default([]),
  costUsd: usd.default(0),
  startedAt: isoTime.nullable().default(null),
  endedAt: isoTime.nullable().default(null),
  /** Why it failed or is blocked, for the UI. */
  reason: z.string().nullable().default(null),
  /** How often a crash cut this ticket off while running. */
  interruptions: z.number().int().nonnegative().default(0),
});
export type StoredTicket = z.infer<typeof storedTicketSchema>;

/** The process that runs the batch. A state that says running with a gone owner is interrupted. */
export const batchOwnerSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  /** Start time of the owning process: tells a reused pid from the original one. */
  processStartedAt: isoTime,
  /** Refreshed while the batch runs; a stale heartbeat means the owner hangs or is gone. */
  heartbeatAt: isoTime,
});
export type BatchOwner = z.infer<typeof batchOwnerSchema>;

export const storedBatchSchema = z
  .object({
    v: z.literal(BATCH_STATE_VERSION),
    id: z.string().regex(/^[A-Za-z0-9._-]+$/),
    createdAt: isoTime,
    updatedAt: isoTime,
    mode: z.enum(BATCH_MODES),
    status: z.enum(BATCH_STATUSES),
    /** The commit every ticket's worktree starts from. */
    baseCommit: z.string().nullable(),
    /** Ticket ids in the order the user picked them. */
    ticketIds: z.array(z.string()),
    tickets: z.record(z.string(), storedTicketSchema),
    owner: batchOwnerSchema.nullable(),
    interruptedAt: isoTime.nullable().default(null),
    /** Room for the orchestrator's own resumable data (plan, schedule) without a format change here. */
    extra: z.record(z.string(), z.unknown()).default({}),
  })
  .refine((s) => s.ticketIds.every((id) => id in s.tickets), { message: 'every ticket id needs a ticket entry', path: ['tickets'] });
export type StoredBatch = z.infer<typeof storedBatchSchema>;

export interface NewBatch {
  readonly id: string;
  readonly mode: BatchMode;
  readonly ticketIds: readonly string[];
  readonly baseCommit: string | null;
  readonly extra?: Record<string, unknown>;
}

export function newBatchState(batch: NewBatch, owner: BatchOwner, nowIso: string): StoredBatch {
  return storedBatchSchema.parse({
    v: BATCH_STATE_VERSION,
    id: batch.id,
    createdAt: nowIso,
    updatedAt: nowIso,
    mode: batch.mode,
    status: 'running',
    baseCommit: batch.baseCommit,
    ticketIds: [...batch.ticketIds],
    tickets: Object.fromEntries(batch.ticketIds.map((id) => [id, { status: 'queued' }])),
    owner,
    extra: batch.extra ?? {},
  });
}

export function batchCostUsd(state: StoredBatch): number {
  return Object.values(state.tickets).reduce((sum, t) => sum + t.costUsd, 0);
}

/**
 * The state after a crash: the batch is interrupted, finished tickets keep branch and cost, and a
 * ticket that was running goes back to the queue (its branch and worktree kept, so a resume can pick
 * its work up) with its open tier attempt closed without a result.
 */
export function interruptedState(state: StoredBatch, nowIso: string): StoredBatch {
  const tickets = Object.fromEntries(
    Object.entries(state.tickets).map(([id, t]) => {
      if (t.status === 'queued' || !isActiveRunState(t.status)) return [id, t];
      const tierHistory = t.tierHistory.map((a) => (a.endedAt === null ? { ...a, endedAt: nowIso } : a));
      return [id, { ...t, status: 'queued' as const, tierHistory, interruptions: t.interruptions + 1 }];
    }),
  );
  return { ...state, status: 'interrupted', owner: null, interruptedAt: nowIso, tickets };
}
