import type { UsageRecord } from '../llm/usageRecord';
import type { Logger } from '../logger';
import { readDecisions } from '../store/batchExtra';
import type { StoredBatch } from '../store/batchState';
import { BatchStateStore, type LoadedBatch } from '../store/batchStateStore';
import { foldLedger } from '../store/ledgerReader';
import { MetricsFold } from '../store/metricsFold';
import { readMetrics } from '../store/rebuildMetrics';
import { formatProblem } from '../store/storeProblem';
import { loadStoredReview } from '../store/storedReview';
import { outcomesOfBatch } from '../store/ticketOutcome';
import { buildPanelHistory, type ModelCost } from './panelHistory';
import type { PanelHistory } from './panelSnapshot';
import type { StoredBatchInput } from './storedBatchFold';
import type { GateCell } from './ticketRowFold';
import type { Decision } from '../vocabulary/ticketStates';

export interface PanelStorageOptions {
  /** Workspace storage (batches/, metrics.json). */
  readonly storage: string;
  /** Global storage (ledger/). */
  readonly globalStorage: string;
  readonly threshold: number;
  readonly minSamples: number;
  readonly logger?: Logger;
  readonly clock?: () => number;
}

export interface PanelStorage {
  readonly history: PanelHistory;
  /** The newest batch with what the panel shows of it; null before any batch ran. */
  readonly latest: StoredBatchInput | null;
}

/** Accepted/rejected per ticket (the whole ticket's decision; per-file decisions do not count). */
export function ticketDecisions(state: Pick<StoredBatch, 'extra'>): Record<string, Decision> {
  const out: Record<string, Decision> = {};
  for (const [id, d] of Object.entries(readDecisions(state))) if (d.ticket) out[id] = d.ticket;
  return out;
}

/** The review decisions of one batch as stored now; null when its state cannot be read. */
export async function readBatchDecisions(storage: string, batchId: string, logger?: Logger): Promise<Record<string, Decision> | null> {
  const loaded = await new BatchStateStore({ storage, ...(logger ? { logger } : {}) }).load(batchId);
  return loaded ? ticketDecisions(loaded.state) : null;
}

/** The command gates of a ticket's last review, or null when it has none (yet) or the file is unreadable. */
export async function readTicketGates(storage: string, batchId: string, ticketId: string): Promise<GateCell[] | null> {
  const stored = await loadStoredReview(storage, batchId, ticketId);
  // Missing or unreadable: the review UI reports it; the panel just shows no gates.
  return stored.kind === 'ok' ? stored.review.gates.gates.map((g) => ({ name: g.name, status: g.status })) : null;
}

/**
 * Everything the panel reads from storage in one pass: every batch state, the ledger once (model mix
 * per batch, and the newest batch's records for its token classes), metrics.json's outcome table
 * (folded from the batch states when it is missing), the newest batch's gates.
 */
export async function loadPanelStorage(options: PanelStorageOptions): Promise<PanelStorage> {
  const clock = options.clock ?? Date.now;
  const store = new BatchStateStore({ storage: options.storage, clock, ...(options.logger ? { logger: options.logger } : {}) });
  const { batches, problems } = await store.list();
  const newest = batches[0];
  const mix = new Map<string, Map<string, ModelCost>>();
  const newestRecords: UsageRecord[] = [];
  const ids = new Set(batches.map((b) => b.state.id));
  const scan = await foldLedger(options.globalStorage, (record) => {
    if (!ids.has(record.batchId)) return;
    if (record.batchId === newest?.state.id) newestRecords.push(record);
    const models = mix.get(record.batchId) ?? new Map<string, ModelCost>();
    const before = models.get(record.model);
    models.set(record.model, { costUsd: (before?.costUsd ?? 0) + (record.costUsd ?? 0), tier: before ? before.tier : record.tier });
    mix.set(record.batchId, models);
  });
  const history = buildPanelHistory({
    batches: batches.map((b) => ({
      state: b.state,
      interrupted: b.interrupted,
      accepted: Object.values(ticketDecisions(b.state)).filter((d) => d === 'accepted').length,
      modelCost: mix.get(b.state.id) ?? new Map(),
    })),
    outcomes: await outcomeTable(options.storage, batches, clock),
    threshold: options.threshold,
    minSamples: options.minSamples,
    problems: [...problems, ...scan.problems].map(formatProblem),
  });
  return { history, latest: newest ? await latestInput(options, newest, newestRecords) : null };
}

async function latestInput(options: PanelStorageOptions, batch: LoadedBatch, records: readonly UsageRecord[]): Promise<StoredBatchInput> {
  const gates = new Map<string, GateCell[]>();
  for (const id of batch.state.ticketIds) {
    const found = await readTicketGates(options.storage, batch.state.id, id);
    if (found) gates.set(id, found);
  }
  return { state: batch.state, interrupted: batch.interrupted, records, gates, decisions: ticketDecisions(batch.state) };
}

/** What the router reads (metrics.json); folded from the batch outcomes when the file is missing or stale. */
async function outcomeTable(storage: string, batches: readonly LoadedBatch[], clock: () => number) {
  const metrics = await readMetrics(storage, clock);
  if (metrics !== null && metrics.source.batches >= batches.length) return metrics.outcomes;
  const fold = new MetricsFold();
  for (const b of batches) for (const o of outcomesOfBatch(b.state)) fold.addOutcome(o);
  return fold.finish(new Date(clock()).toISOString(), 0).outcomes;
}
