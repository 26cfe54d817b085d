import { join } from 'node:path';
import { errorMessage } from '../errorText';
import { ticketWorktreePath } from '../git/worktrees';
import type { Logger } from '../logger';
import { writeJsonAtomic, writeTextAtomic } from '../store/atomicJson';
import { withRecord, type BatchSummaryExtra } from '../store/batchExtra';
import type { StoredBatch, StoredTicket } from '../store/batchState';
import type { BatchStateStore } from '../store/batchStateStore';
import type { StorageFaults } from '../store/storageFaults';
import { batchDir, batchStateFile } from '../store/storagePaths';
import { isFinalRunState } from '../vocabulary/ticketStates';
import type { BatchEvent, BatchSummary, TicketRecord } from './batchTypes';
import { buildExecutionLog, renderExecutionLog } from './executionLog';

const HEARTBEAT_MS = 10_000;

export const executionLogFile = (storage: string, batchId: string): string => join(batchDir(storage, batchId), 'execution-log.yaml');
export const reviewFile = (storage: string, batchId: string, ticketId: string): string => join(batchDir(storage, batchId), 'reviews', `${ticketId}.json`);

/**
 * One entry per tier the ticket ran on, with what the metrics learn from: whether that tier's attempt
 * passed (a ticket that moved up failed on the tiers below), its fix loops and its cost. Review
 * stages count towards the tier whose work they reviewed.
 */
function tierAttempts(record: TicketRecord, previous: StoredTicket | undefined, now: string, finished: boolean): StoredTicket['tierHistory'] {
  const byModel = new Map<string, { costUsd: number; fixLoops: number }>();
  let current: string | undefined;
  for (const stage of record.stages) {
    if (stage.stage !== 'review') current = stage.model;
    if (current === undefined) continue;
    const entry = byModel.get(current) ?? { costUsd: 0, fixLoops: 0 };
    entry.costUsd += stage.costUsd ?? 0;
    if (stage.stage === 'fix') entry.fixLoops += 1;
    byModel.set(current, entry);
  }
  const last = record.tierHistory.length - 1;
  return record.tierHistory.flatMap((change, index) => {
    if (change.tier === null) return [];
    const isLast = index === last;
    const result = !isLast ? 'failed' : finished && record.state === 'done' ? 'passed' : finished && record.state === 'failed' ? 'failed' : null;
    const spent = byModel.get(change.model) ?? { costUsd: 0, fixLoops: 0 };
    const before = previous?.tierHistory[index];
    return [{ tier: change.tier, model: change.model, startedAt: before?.startedAt ?? now, endedAt: result === null ? null : (before?.endedAt ?? now), fixLoops: spent.fixLoops, result, costUsd: spent.costUsd }];
  });
}

/**
 * Keeps `batches/<id>/state.json` in step with the batch as it runs (atomic writes, a heartbeat so a
 * crash shows as interrupted) and writes `execution-log.yaml` at the end. Every ticket's full record
 * is kept in `extra.records` for reports and the review UI.
 */
export class BatchRecorder {
  private readonly startedAt = new Map<string, string>();
  private heartbeat: NodeJS.Timeout | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  /** A write since the last finish() failed for want of storage. */
  private unsaved = false;
  /** What the batch-started event records (the base commit a resume needs): written again by finish() should its own write have been lost. */
  private started: ((state: StoredBatch) => StoredBatch) | undefined;

  constructor(
    private readonly store: BatchStateStore,
    private readonly storage: string,
    private readonly batchId: string,
    private readonly logger: Logger,
    /** Where a write that fails for want of storage is reported (it stops the batch); absent: logged. */
    private readonly faults?: StorageFaults,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.heartbeat = setInterval(() => void this.store.heartbeat(this.batchId).catch((e: unknown) => this.failed(e, batchStateFile(this.storage, this.batchId), 'warn')), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Whether everything since the last finish() is on disk. */
  get allSaved(): boolean {
    return !this.unsaved;
  }

  /** Subscribe this to the batch's events. Writes are serialised and never block the batch. */
  onEvent(event: BatchEvent): void {
    if (event.type === 'batch-started') {
      // The mode the batch really runs in is decided by the estimate (auto → direct or orchestrated): one source of truth for reports.
      this.started = (state) => ({ ...state, baseCommit: event.baseCommit, mode: state.mode === 'single' ? 'single' : event.estimate.mode });
      this.enqueue(this.started);
    }
    if (event.type !== 'ticket-state') return;
    const record = event.ticket;
    if (record.state !== 'queued' && !this.startedAt.has(record.id)) this.startedAt.set(record.id, new Date(this.clock()).toISOString());
    this.enqueue((state) => this.withTicket(state, record));
  }

  /** Writes a ticket's state now and resolves once it is on disk. */
  saveTicket(record: TicketRecord): Promise<void> {
    if (record.state !== 'queued' && !this.startedAt.has(record.id)) this.startedAt.set(record.id, new Date(this.clock()).toISOString());
    this.enqueue((state) => this.withTicket(state, record));
    return this.writes.then(() => undefined);
  }

  /**
   * The last write is on disk, the execution log written, the state final — with any ticket entry
   * whose own update was lost (a full disk) written again, so none is left `running`. A write that
   * fails for want of storage is reported (see allSaved), so finish can be called again once there
   * is room.
   */
  async finish(summary: BatchSummary): Promise<void> {
    clearInterval(this.heartbeat);
    this.unsaved = false;
    const status: StoredBatch['status'] = summary.state === 'done' ? 'done' : summary.state === 'cancelled' ? 'cancelled' : 'failed';
    const end: BatchSummaryExtra = { state: summary.state, totals: summary.totals, analysis: summary.analysis };
    this.enqueue((state) => {
      // Only entries that trail their ticket (an update lost to a full disk) are written again.
      const stale = summary.tickets.filter((record) => state.tickets[record.id]?.status !== record.state);
      const current = stale.reduce((s, record) => this.withTicket(s, record), state.baseCommit === null && this.started ? this.started(state) : state);
      return { ...current, status, extra: { ...current.extra, records: Object.fromEntries(summary.tickets.map((t) => [t.id, t])), summary: end } };
    });
    await this.writes;
    const log = executionLogFile(this.storage, this.batchId);
    await writeTextAtomic(log, renderExecutionLog(buildExecutionLog(summary))).catch((error: unknown) => this.failed(error, log, 'rethrow'));
  }

  /** Stops the heartbeat without finishing (the process is exiting on an error). */
  stop(): void {
    clearInterval(this.heartbeat);
  }

  /** Keeps a ticket's review; never rejects (its callers do not wait for it): a failure is reported or logged. */
  async writeReview(ticketId: string, outcome: unknown): Promise<void> {
    const file = reviewFile(this.storage, this.batchId, ticketId);
    await writeJsonAtomic(file, outcome).catch((error: unknown) => this.failed(error, file, 'error'));
  }

  private enqueue(change: (state: StoredBatch) => StoredBatch): void {
    this.writes = this.writes.then(() => this.store.update(this.batchId, change)).catch((error: unknown) => this.failed(error, batchStateFile(this.storage, this.batchId), 'error'));
  }

  /** A write of `file` that failed: for want of storage it is reported (once, by the faults), otherwise logged (or rethrown). */
  private failed(error: unknown, file: string, otherwise: 'warn' | 'error' | 'rethrow'): void {
    if (this.faults?.report(error, file)) {
      this.unsaved = true;
      this.logger.debug(`Could not save ${file}: ${errorMessage(error)}`);
      return;
    }
    if (otherwise === 'rethrow') throw error;
    this.logger[otherwise](`Could not save ${file}: ${errorMessage(error)}`);
  }

  private withTicket(state: StoredBatch, record: TicketRecord): StoredBatch {
    const now = new Date(this.clock()).toISOString();
    const finished = isFinalRunState(record.state);
    const previous = state.tickets[record.id];
    const ticket: StoredTicket = {
      status: record.state,
      complexityClass: record.complexityClass as StoredTicket['complexityClass'],
      branch: record.branch,
      worktree: record.branch ? ticketWorktreePath(this.storage, this.batchId, record.id) : null,
      tierHistory: tierAttempts(record, previous, now, finished),
      costUsd: record.costUsd ?? 0,
      startedAt: this.startedAt.get(record.id) ?? null,
      endedAt: finished ? (previous?.endedAt ?? now) : null,
      reason: record.state === 'done' ? null : record.detail,
      interruptions: previous?.interruptions ?? 0,
    };
    return withRecord({ ...state, tickets: { ...state.tickets, [record.id]: ticket } }, record);
  }
}
