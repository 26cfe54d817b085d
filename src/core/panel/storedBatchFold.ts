import { z } from 'zod';
import type { UsageRecord } from '../llm/usageRecord';
import { buildBatchReport } from '../report/buildBatchReport';
import { readResumeInfo, ticketRecordSchema } from '../store/batchExtra';
import type { StoredBatch, StoredTicket } from '../store/batchState';
import { BatchFold, type BatchFoldSettings } from './batchFold';
import type { BatchPhase } from '../vocabulary/batchStates';
import type { GateCell, RowSource } from './ticketRowFold';
import { isActiveRunState, type Decision } from '../vocabulary/ticketStates';

/** A batch read back from workspace storage, with what the panel needs besides state.json. */
export interface StoredBatchInput {
  readonly state: StoredBatch;
  /** It says running but its process is gone. */
  readonly interrupted: boolean;
  /** The ledger's records of this batch (token classes per ticket, savings). */
  readonly records: readonly UsageRecord[];
  readonly gates: ReadonlyMap<string, readonly GateCell[]>;
  readonly decisions: Readonly<Record<string, Decision>>;
}


const STATUS: Readonly<Record<StoredBatch['status'], BatchPhase>> = {
  running: 'running',
  paused: 'running',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

export const STORED_TIMELINE_NOTE = 'Read back from storage: time queued and working per tier; gates and model review are not told apart.';

/**
 * The panel's view of a stored batch: rows from the records the batch recorder kept (or the bare
 * ticket states of an older or interrupted batch), totals from the same report builder as
 * `flotilla report`, lanes from the stored start and end of each tier attempt.
 */
export function foldStoredBatch(input: StoredBatchInput, settings: BatchFoldSettings): BatchFold {
  const { state } = input;
  const origin = Date.parse(state.createdAt);
  const rel = (iso: string | null | undefined): number | null => (iso ? Math.max(0, Date.parse(iso) - origin) : null);
  const records = z.record(z.string(), z.unknown()).catch({}).parse(state.extra.records ?? {});
  const fold = new BatchFold(
    {
      batchId: state.id,
      startedAtMs: origin,
      mode: state.mode,
      estimate: null,
      simulated: readResumeInfo(state)?.simulated === true,
      live: false,
      tickets: state.ticketIds.map((id) => rowSource(id, state.tickets[id] as StoredTicket, records[id])),
    },
    settings,
  );
  for (const record of input.records) fold.onUsage(record, rel(record.ts) ?? 0);
  const end = input.interrupted ? (state.interruptedAt ?? state.updatedAt) : state.updatedAt;
  const endMs = rel(end) ?? 0;
  const report = buildBatchReport(state).report;
  const status: BatchPhase = input.interrupted ? 'interrupted' : STATUS[state.status];
  fold.setStored({
    state: status,
    endedAtMs: status === 'running' ? null : endMs,
    summary: state.extra.summary === undefined ? null : { totals: report.totals, analysis: report.analysis },
    spentUsd: report.totals.costUsd,
    tokens: report.totals.tokens,
  });
  for (const id of state.ticketIds) addLane(fold, id, state.tickets[id] as StoredTicket, rel, endMs);
  for (const [id, gates] of input.gates) fold.setGates(id, gates);
  fold.setDecisions(input.decisions);
  fold.timelineNote = STORED_TIMELINE_NOTE;
  fold.takeChanges();
  return fold;
}

function rowSource(id: string, ticket: StoredTicket, raw: unknown): RowSource {
  const parsed = ticketRecordSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return {
    id,
    title: '',
    complexityClass: ticket.complexityClass ?? 'unclassified',
    score: null,
    tier: ticket.tierHistory.at(-1)?.tier ?? null,
    model: ticket.tierHistory.at(-1)?.model ?? '',
    reason: '',
    state: ticket.status,
    detail: ticket.reason ?? '',
    fixLoops: ticket.tierHistory.reduce((n, a) => n + a.fixLoops, 0),
    escalations: Math.max(0, ticket.tierHistory.length - 1),
    tierHistory: ticket.tierHistory.map((a) => ({ tier: a.tier, model: a.model })),
    review: null,
    costUsd: ticket.costUsd,
    tokens: 0,
    diffStats: [],
  };
}

function addLane(fold: BatchFold, id: string, ticket: StoredTicket, rel: (iso: string | null) => number | null, batchEndMs: number): void {
  const lane = fold.lane(id);
  if (!lane) return;
  const ended = rel(ticket.endedAt) ?? batchEndMs;
  const started = rel(ticket.startedAt) ?? rel(ticket.tierHistory[0]?.startedAt ?? null);
  lane.add('queued', null, 0, started ?? ended);
  for (const attempt of ticket.tierHistory) {
    const from = rel(attempt.startedAt) ?? started ?? 0;
    lane.add('working', attempt.tier, from, rel(attempt.endedAt) ?? ended);
  }
  const row = fold.row(id);
  if (row && (row.lifecycle === 'interrupted' || !isActiveRunState(row.state))) lane.finish(row.lifecycle, ended);
}
