import type { ComplexityClass } from '../routing/complexityScore';
import type { TicketRunState } from '../vocabulary/ticketStates';
import type { StoredBatch, TierAttempt } from './batchState';

/** What metrics need from one ticket of one batch. */
export interface TicketOutcome {
  readonly batchId: string;
  readonly ticketId: string;
  readonly complexityClass: ComplexityClass | null;
  readonly status: TicketRunState;
  readonly attempts: readonly TierAttempt[];
}

export function outcomesOfBatch(state: StoredBatch): TicketOutcome[] {
  return state.ticketIds.map((ticketId) => {
    const t = state.tickets[ticketId]!;
    return { batchId: state.id, ticketId, complexityClass: t.complexityClass, status: t.status, attempts: t.tierHistory };
  });
}

/** Duration of an attempt; 0 while open, and never negative when the clock jumped back mid-attempt. */
export function attemptDurationMs(attempt: TierAttempt): number {
  if (attempt.endedAt === null) return 0;
  return Math.max(0, Date.parse(attempt.endedAt) - Date.parse(attempt.startedAt));
}
