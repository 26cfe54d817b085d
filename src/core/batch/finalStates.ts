import type { BatchEndState } from '../vocabulary/batchStates';
import { isFinalRunState } from '../vocabulary/ticketStates';
import type { TicketRecord } from './batchTypes';

/**
 * Whether a resume runs this ticket again (issue 11 item 3). Done tickets and tickets that failed on
 * their own merits (gates still failing after the fix loops, a conflict between dependencies) are
 * kept; a ticket that never finished (queued, cut off while running, cancelled) or that a stop from
 * outside ended (marked `resumable`) runs again, so the work already paid for is not thrown away.
 */
export function isResumable(record: Pick<TicketRecord, 'state' | 'resumable'>): boolean {
  if (record.state === 'done') return false;
  if (record.state === 'failed' || record.state === 'blocked') return record.resumable === true;
  return true;
}

/** A reason is shown in a table cell, a tree item and one log line: long enough to act on, never multi-line. */
const MAX_REASON_CHARS = 600;

/** Collapses a reason (git's stderr, an API error body) to one trimmed line. */
export function oneLineReason(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS - 1)}…` : line;
}

/**
 * The batch's last word on its tickets (issue 11: "when a batch ends, every ticket is in a final
 * state with a one-line reason"). The scheduler settles every ticket, and runBatch mirrors that into
 * the records as it happens; this catches whatever slipped through (a path that threw between
 * states, a retry that never came) so no ticket is left `running` or `queued` in a finished batch.
 * Returns the records it changed, for the caller to persist and announce.
 */
export function settleUnfinished(records: Iterable<TicketRecord>, batchState: BatchEndState): TicketRecord[] {
  const changed: TicketRecord[] = [];
  for (const record of records) {
    if (!isFinalRunState(record.state)) {
      const was = record.detail.trim() === '' ? record.state : `${record.state}: ${record.detail}`;
      // It never finished, whatever ended the batch: a resume runs it again.
      Object.assign(record, batchState === 'cancelled' ? { state: 'cancelled', detail: oneLineReason(`cancelled (was ${was})`) } : { state: 'failed', detail: oneLineReason(`did not finish before the batch ended (was ${was})`) }, { resumable: true });
      changed.push(record);
    } else if (record.state !== 'done') {
      const detail = oneLineReason(record.detail) || `${record.state} (no reason was given)`;
      if (detail !== record.detail) {
        record.detail = detail;
        changed.push(record);
      }
    }
  }
  return changed;
}
