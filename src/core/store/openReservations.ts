import { isReservation, type LedgerEntry, type ReservationRecord } from '../llm/reservationRecord';

/** Calls whose reservation no usage record closed: billed or not, nobody knows; each counts at its worst case. */
export interface UnknownOutcomes {
  readonly calls: number;
  /** The sum of their worst cases (the most they can have cost), models without a price left out. */
  readonly atMostUsd: number;
  /** Of `calls`, those on a model without a known price: no bound can be given for them. */
  readonly unpricedCalls: number;
}

export const NO_UNKNOWN_OUTCOMES: UnknownOutcomes = { calls: 0, atMostUsd: 0, unpricedCalls: 0 };

/**
 * The reservations of a ledger fold that are still open. Fed every entry in ledger order: a
 * reservation opens, the usage record carrying its id closes it. The writer fsyncs a reservation
 * before its call is sent and writes the usage record after the call ends, so within a fold read
 * from the reservation's month onward the closing record always comes after it.
 */
export class OpenReservations {
  private readonly open = new Map<string, ReservationRecord>();

  /** Returns whether the entry opened or closed a reservation. */
  add(entry: LedgerEntry): boolean {
    if (isReservation(entry)) {
      this.open.set(entry.reservationId, entry);
      return true;
    }
    return entry.reservationId !== undefined && this.open.delete(entry.reservationId);
  }

  list(filter: (r: ReservationRecord) => boolean = () => true): ReservationRecord[] {
    return [...this.open.values()].filter(filter);
  }

  summary(filter?: (r: ReservationRecord) => boolean): UnknownOutcomes {
    return summarizeOpen(this.list(filter));
  }
}

export function summarizeOpen(open: readonly ReservationRecord[]): UnknownOutcomes {
  let atMostUsd = 0;
  let unpricedCalls = 0;
  for (const r of open) {
    if (r.reservedUsd === null) unpricedCalls++;
    else atMostUsd += r.reservedUsd;
  }
  return { calls: open.length, atMostUsd, unpricedCalls };
}
