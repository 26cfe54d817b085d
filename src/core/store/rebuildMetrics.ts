import type { Logger } from '../logger';
import { writeJsonAtomic, readJsonFile } from './atomicJson';
import { BatchStateStore } from './batchStateStore';
import { foldLedger } from './ledgerReader';
import { MetricsFold } from './metricsFold';
import { metricsSchema, type Metrics } from './metricsSchema';
import type { ProcessProbe } from './processLiveness';
import type { StoreProblem } from './storeProblem';
import { metricsFile } from './storagePaths';
import { outcomesOfBatch } from './ticketOutcome';

export interface RebuildOptions {
  /** Workspace storage (batches, metrics.json). */
  readonly storage: string;
  /** Global storage (the ledger); the CLI passes the same folder. */
  readonly globalStorage: string;
  readonly clock?: () => number;
  readonly probe?: ProcessProbe;
  readonly logger?: Logger;
}

export interface RebuildResult {
  readonly metrics: Metrics;
  /** Skipped ledger lines and quarantined batch states. */
  readonly problems: readonly StoreProblem[];
}

/**
 * Rebuilds metrics.json from scratch: every batch outcome, then every ledger record, folded and
 * written atomically. Metrics are never edited in place, so a lost or stale file costs one rebuild.
 */
export async function rebuildMetrics(options: RebuildOptions): Promise<RebuildResult> {
  const clock = options.clock ?? Date.now;
  const fold = new MetricsFold();
  const store = new BatchStateStore({ storage: options.storage, clock, ...(options.probe ? { probe: options.probe } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const { batches, problems: batchProblems } = await store.list();
  for (const b of batches) for (const o of outcomesOfBatch(b.state)) fold.addOutcome(o);
  const scan = await foldLedger(options.globalStorage, (r) => fold.addRecord(r), { onReservation: (r) => fold.addReservation(r) });
  const metrics = fold.finish(new Date(clock()).toISOString(), scan.problems.length);
  await writeJsonAtomic(metricsFile(options.storage), metrics);
  return { metrics, problems: [...batchProblems, ...scan.problems] };
}

/** metrics.json as last written, or null when missing, of another version, or corrupt (then quarantined). */
export async function readMetrics(storage: string, clock: () => number = Date.now): Promise<Metrics | null> {
  const result = await readJsonFile(metricsFile(storage), metricsSchema, clock);
  return result.kind === 'ok' ? result.value : null;
}
