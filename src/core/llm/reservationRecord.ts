import { z } from 'zod';
import { callFields, USAGE_RECORD_VERSION, WORKER_ENGINES, usageRecordSchema, type Stage, type Tier, type UsageRecord, type WorkerEngineName } from './usageRecord';

/**
 * The ledger's second kind of line (issue 20 item 4; ARCHITECTURE.md, "Usage record", additions):
 * written and fsynced by the budget hook BEFORE a model call is sent, so a process killed while the
 * call is on the wire still leaves a trace of it. The attempt's usage record carries the same
 * `reservationId` and closes it; while no usage record does, readers count the call at its worst
 * case (`reservedUsd`) — "outcome unknown, at most $X". It has no token fields and no `costUsd`, so
 * a reader that sums usage over usage records is unchanged; a reader of this version tells the two
 * kinds apart by `kind`.
 *
 * Nothing resolves an open reservation later: the API has no per-request usage lookup, so only the
 * process that made the call can write its usage record. A killed call stays at its worst case.
 */
export const reservationRecordSchema = z.object({
  v: z.literal(USAGE_RECORD_VERSION),
  kind: z.literal('reservation'),
  /** ISO 8601 time the reservation was written (just before the call was sent). */
  ts: z.string(),
  ...callFields,
  /** Unique across processes (a UUID); the usage record that closes this one carries it too. */
  reservationId: z.string().min(1),
  /** The call's worst case at the max_tokens it was sent with; null for a model without a known price. */
  reservedUsd: z.number().nonnegative().nullable(),
  /** 1 for the first try of a call, 2.. for retries (each attempt is billed on its own). */
  attempt: z.number().int().positive(),
  engine: z.enum(WORKER_ENGINES).optional(),
  /** The call goes to the simulated model: nothing can be billed. */
  simulated: z.literal(true).optional(),
});

export type ReservationRecord = z.infer<typeof reservationRecordSchema>;

/** One line of the ledger: a usage record (no `kind`) or a reservation. */
export type LedgerEntry = UsageRecord | ReservationRecord;

export function isReservation(entry: LedgerEntry): entry is ReservationRecord {
  return 'kind' in entry && entry.kind === 'reservation';
}

/** Validates a ledger line's JSON as the kind it says it is (no `kind`: a usage record, as every line before reservations). */
export function parseLedgerEntry(json: unknown): z.ZodSafeParseResult<LedgerEntry> {
  const kind = typeof json === 'object' && json !== null && 'kind' in json ? json.kind : undefined;
  return kind === 'reservation' ? reservationRecordSchema.safeParse(json) : usageRecordSchema.safeParse(json);
}

/** Who a call is for: everything of a reservation record but its id, worst case and time. */
export interface CallTags {
  readonly workspace: string;
  readonly batchId: string;
  readonly ticketId: string | null;
  readonly stage: Stage;
  readonly tier: Tier | null;
  readonly attempt: number;
  readonly engine?: WorkerEngineName;
}
