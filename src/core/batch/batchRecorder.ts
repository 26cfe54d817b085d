import { join } from 'node:path';
import { ticketWorktreePath } from '../git/worktrees';
import type { Logger } from '../logger';
import { writeJsonAtomic, writeTextAtomic } from '../store/atomicJson';
import { withRecord, type BatchSummaryExtra } from '../store/batchExtra';
import type { StoredBatch, StoredTicket } from '../store/batchState';
import type { BatchStateStore } from '../store/batchStateStore';
import { batchDir } from '../store/storagePaths';
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

  constructor(
    private readonly store: BatchStateStore,
    private readonly storage: string,
    private readonly batchId: string,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.heartbeat = setInterval(() => void this.store.heartbeat(this.batchId).catch((e: unknown) => this.logger.warn(`heartbeat failed: ${String(e)}`)), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Subscribe this to the batch's events. Writes are serialised and never block the batch. */
  onEvent(event: BatchEvent): void {
    if (event.type === 'batch-started') {
      // The mode the batch really runs in is decided by the estimate (auto → direct or orchestrated): one source of truth for reports.
      this.enqueue((state) => ({ ...state, baseCommit: event.baseCommit, mode: state.mode === 'single' ? 'single' : event.estimate.mode }));
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

  /** The last write is on disk, the execution log written, the state final. */
  async finish(summary: BatchSummary): Promise<void> {
    clearInterval(this.heartbeat);
    const status: StoredBatch['status'] = summary.state === 'done' ? 'done' : summary.state === 'cancelled' ? 'cancelled' : 'failed';
    const end: BatchSummaryExtra = { state: summary.state, totals: summary.totals, analysis: summary.analysis };
    this.enqueue((state) => ({ ...state, status, extra: { ...state.extra, records: Object.fromEntries(summary.tickets.map((t) => [t.id, t])), summary: end } }));
    await this.writes;
    await writeTextAtomic(executionLogFile(this.storage, this.batchId), renderExecutionLog(buildExecutionLog(summary)));
  }

  /** Stops the heartbeat without finishing (the process is exiting on an error). */
  stop(): void {
    clearInterval(this.heartbeat);
  }

  async writeReview(ticketId: string, outcome: unknown): Promise<void> {
    await writeJsonAtomic(reviewFile(this.storage, this.batchId, ticketId), outcome);
  }

  private enqueue(change: (state: StoredBatch) => StoredBatch): void {
    this.writes = this.writes.then(() => this.store.update(this.batchId, change)).catch((error: unknown) => this.logger.error(`Could not save the batch state: ${String(error)}`));
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
