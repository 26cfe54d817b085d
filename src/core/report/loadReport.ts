import type { Logger } from '../logger';
import type { StoredBatch } from '../store/batchState';
import { BatchStateStore } from '../store/batchStateStore';
import { foldLedger } from '../store/ledgerReader';
import { MetricsFold } from '../store/metricsFold';
import { OpenReservations } from '../store/openReservations';
import type { Metrics } from '../store/metricsSchema';
import { TIERS, type Tier } from '../llm/usageRecord';
import { COMPLEXITY_CLASSES, type ComplexityClass } from '../routing/complexityScore';
import { outcomesFor, type OutcomeRow } from '../routing/outcomesTable';
import { compareTiers, type TierComparison } from '../routing/tierComparison';
import type { ProcessProbe } from '../store/processLiveness';
import { formatProblem } from '../store/storeProblem';
import { loadStoredReview } from '../store/storedReview';
import { outcomesOfBatch } from '../store/ticketOutcome';
import { buildBatchReport, comparisonRow, type GatesByTicket } from './buildBatchReport';
import { NoBatchesError, UnknownBatchError } from './reportErrors';
import type { Report, ReportMetrics } from './reportModel';

export interface LoadReportOptions {
  /** Workspace storage (batches/). */
  readonly storage: string;
  /** Global storage (ledger/); the CLI passes the same folder. */
  readonly globalStorage: string;
  /** Absent: the newest batch. */
  readonly batchId?: string;
  readonly clock?: () => number;
  readonly probe?: ProcessProbe;
  readonly logger?: Logger;
}

/**
 * Everything a report shows, read from storage: the chosen batch in full, a comparison row for every
 * batch, and metrics folded from scratch over the ledger and every batch outcome (nothing is written).
 */
export async function loadReport(options: LoadReportOptions): Promise<Report> {
  const clock = options.clock ?? Date.now;
  const store = new BatchStateStore({ storage: options.storage, clock, ...(options.probe ? { probe: options.probe } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const { batches, problems: batchProblems } = await store.list();
  const problems = batchProblems.map(formatProblem);
  if (options.batchId !== undefined && !batches.some((b) => b.state.id === options.batchId)) {
    throw new UnknownBatchError(options.batchId, batches.map((b) => b.state.id));
  }
  const chosen = options.batchId === undefined ? batches[0] : batches.find((b) => b.state.id === options.batchId);
  if (chosen === undefined) throw new NoBatchesError(options.storage);
  const states = batches.map((b) => (b.interrupted ? { ...b.state, status: 'interrupted' as const } : b.state));
  const chosenState = states.find((s) => s.id === chosen.state.id)!;
  const { metrics, open } = await foldAllMetrics(options.globalStorage, states, new Date(clock()).toISOString(), problems);
  const built = buildBatchReport(chosenState, await readGates(options.storage, chosenState), open.summary((r) => r.batchId === chosenState.id));
  problems.push(...built.problems);
  const comparison = states.map((s) => (s.id === chosenState.id ? comparisonRow(built.report) : comparisonRow(buildBatchReport(s).report)));
  return { generatedAt: new Date(clock()).toISOString(), batch: built.report, comparison, metrics: reportMetrics(metrics), problems };
}

/** Metrics over every outcome and the whole ledger, and the reservations no usage record closed. */
async function foldAllMetrics(globalStorage: string, states: readonly StoredBatch[], now: string, problems: string[]): Promise<{ metrics: Metrics; open: OpenReservations }> {
  const fold = new MetricsFold();
  const open = new OpenReservations();
  for (const s of states) for (const o of outcomesOfBatch(s)) fold.addOutcome(o);
  const scan = await foldLedger(
    globalStorage,
    (r) => {
      fold.addRecord(r);
      open.add(r);
    },
    {
      onReservation: (r) => {
        fold.addReservation(r);
        open.add(r);
      },
    },
  );
  problems.push(...scan.problems.map(formatProblem));
  return { metrics: fold.finish(now, scan.problems.length), open };
}

function reportMetrics(m: Metrics): ReportMetrics {
  return {
    calls: m.totals.calls,
    costUsd: m.totals.costUsd,
    simulatedCalls: m.totals.simulatedCalls ?? 0,
    simulatedCostUsd: m.totals.simulatedCostUsd ?? 0,
    openReservations: m.totals.openReservations ?? 0,
    openReservedUsd: m.totals.openReservedUsd ?? 0,
    cacheHitRate: m.cache.hitRate,
    modelMix: m.modelMix.map((x) => ({ model: x.model, calls: x.calls, costUsd: x.costUsd, costShare: x.costShare })),
    suggestions: m.suggestions.map((s) => s.message),
    routingAb: routingComparisons(m.outcomes),
  };
}

/** Cheaper vs. next tier per class, wherever both were measured (exploration keeps the cheaper one measured). */
function routingComparisons(outcomes: readonly OutcomeRow[]): TierComparison[] {
  const measured = (cls: ComplexityClass, tier: Tier) => outcomesFor(outcomes, cls, tier).attempts > 0;
  return COMPLEXITY_CLASSES.flatMap((cls) =>
    TIERS.slice(0, -1).flatMap((cheaper, i) => {
      const incumbent = TIERS[i + 1] as Tier;
      return measured(cls, cheaper) && measured(cls, incumbent) ? [compareTiers(outcomes, cls, cheaper, incumbent)] : [];
    }),
  );
}

/** Gates of each ticket's last review; a missing or unreadable review file just leaves the cell empty. */
async function readGates(storage: string, state: StoredBatch): Promise<GatesByTicket> {
  const out = new Map<string, string[]>();
  for (const id of state.ticketIds) {
    // Missing or unreadable: the review UI reports it; the report just has no gates for this ticket.
    const stored = await loadStoredReview(storage, state.id, id);
    if (stored.kind === 'ok') out.set(id, stored.review.gates.gates.map((g) => `${g.name}: ${g.status}`));
  }
  return out;
}
