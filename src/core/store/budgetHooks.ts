import { randomUUID } from 'node:crypto';
import type { AttemptBilling } from '../llm/attemptBilling';
import type { CallSizing } from '../llm/callSizing';
import { USAGE_RECORD_VERSION, type UsageRecord } from '../llm/usageRecord';
import { reservationRecordSchema, type LedgerEntry, type ReservationRecord } from '../llm/reservationRecord';
import type { BudgetGuard, Reservation } from './budget';

/** The budget guard and the ledger as the model client and the metering proxy call them. */
export interface BudgetHooks {
  /**
   * Sizes and reserves one attempt (with `sizing`; without it, it holds the given worst case or
   * throws at once) and, with `sizing`, writes the attempt's reservation record to the ledger before
   * resolving — so the call is on disk before it can be billed. Resolves with the max_tokens to send.
   */
  beforeCall(worstCaseUsd: number | null, request: { model: string }, sizing?: CallSizing): Promise<number> | void;
  /**
   * Appends the attempt's usage record (nothing counts that is not on disk) and settles its
   * reservation — found by the attempt key, or else the oldest of the same model. A `known` outcome
   * closes the reservation (the record carries its id); an `unknown` one leaves it open in the
   * ledger and counts it at its worst case here too.
   */
  recordUsage(record: UsageRecord, attempt?: object, billing?: AttemptBilling): Promise<void>;
}

interface Held {
  readonly reservation: Reservation;
  readonly attempt?: object;
  /** The reservation record's id; absent when the attempt held its worst case in memory only. */
  readonly reservationId?: string;
}

/**
 * The hooks of `guard` over `append` (the ledger). `newId` is injectable for tests; reservation ids
 * are UUIDs so that any number of processes can share one ledger.
 */
export function budgetHooks(guard: BudgetGuard, append: (entry: LedgerEntry) => Promise<void>, options: { newId?: () => string; clock?: () => number } = {}): BudgetHooks {
  const newId = options.newId ?? randomUUID;
  const clock = options.clock ?? Date.now;
  const byModel = new Map<string, Held[]>();
  const hold = (model: string, held: Held) => byModel.set(model, [...(byModel.get(model) ?? []), held]);
  return {
    beforeCall: (worstCaseUsd, request, sizing) => {
      if (!sizing) {
        hold(request.model, { reservation: guard.reserve(worstCaseUsd) });
        return;
      }
      return guard.reserveSized(sizing).then(async ({ reservation, maxTokens }) => {
        const reservationId = newId();
        const priced = sizing.worstCaseFor(maxTokens) !== null;
        try {
          await append(reservationRecord(sizing, request.model, reservationId, priced ? reservation.worstCaseUsd : null, clock()));
        } catch (error) {
          // Not on disk, so not sent: the call fails before it can be billed.
          guard.release(reservation);
          throw error;
        }
        hold(request.model, { reservation, attempt: sizing.attempt, reservationId });
        return maxTokens;
      });
    },
    recordUsage: async (record, attempt, billing = 'known') => {
      const queue = byModel.get(record.model) ?? [];
      const index = record.cached ? -1 : attempt === undefined ? 0 : Math.max(0, queue.findIndex((h) => h.attempt === attempt));
      const held = index < 0 ? undefined : queue.splice(index, 1)[0];
      const closes = held?.reservationId !== undefined && billing === 'known';
      try {
        await append(closes ? { ...record, reservationId: held.reservationId } : record);
      } catch (error) {
        // The record is lost, so the attempt's outcome is unknown: its reservation holds its worst case.
        if (held) await guard.settleUnknown(held.reservation, 0, record.ts);
        throw error;
      }
      if (record.cached) return;
      if (held === undefined) guard.count(record.costUsd, record.ts);
      else if (billing === 'known') await guard.settle(held.reservation, record.costUsd, record.ts);
      else await guard.settleUnknown(held.reservation, record.costUsd, record.ts);
    },
  };
}

function reservationRecord(sizing: CallSizing, model: string, reservationId: string, reservedUsd: number | null, now: number): ReservationRecord {
  const { tags } = sizing;
  return reservationRecordSchema.parse({
    v: USAGE_RECORD_VERSION,
    kind: 'reservation',
    ts: new Date(now).toISOString(),
    workspace: tags.workspace,
    batchId: tags.batchId,
    ticketId: tags.ticketId,
    stage: tags.stage,
    model,
    tier: tags.tier,
    reservationId,
    reservedUsd,
    attempt: tags.attempt,
    ...(tags.engine ? { engine: tags.engine } : {}),
  });
}
