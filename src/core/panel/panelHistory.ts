import { TIERS } from '../llm/usageRecord';
import { buildBatchReport, comparisonRow } from '../report/buildBatchReport';
import { COMPLEXITY_CLASSES } from '../routing/complexityScore';
import { outcomesFor, type OutcomeRow } from '../routing/outcomesTable';
import { wilsonLowerBound } from '../routing/proportionStats';
import type { StoredBatch } from '../store/batchState';
import type { HistoryBatch, OutcomeCell, PanelHistory } from './panelSnapshot';

export interface ModelCost {
  readonly costUsd: number;
  readonly tier: string | null;
}

export interface HistoryBatchInput {
  readonly state: StoredBatch;
  readonly interrupted: boolean;
  /** Tickets accepted in review (merged), from the batch's review decisions. */
  readonly accepted: number;
  /** What each model cost in this batch and the tier it ran for, from the ledger. */
  readonly modelCost: ReadonlyMap<string, ModelCost>;
}

export interface HistoryInput {
  readonly batches: readonly HistoryBatchInput[];
  /** The router's table (metrics.json). */
  readonly outcomes: readonly OutcomeRow[];
  readonly threshold: number;
  readonly minSamples: number;
  readonly problems: readonly string[];
}

/** Past batches side by side (totals as `flotilla report` computes them) and the router's success table. */
export function buildPanelHistory(input: HistoryInput): PanelHistory {
  return {
    batches: input.batches.map(historyRow),
    outcomes: COMPLEXITY_CLASSES.flatMap((cls) => TIERS.map((tier) => outcomeCell(outcomesFor(input.outcomes, cls, tier), input.threshold, input.minSamples))),
    threshold: input.threshold,
    minSamples: input.minSamples,
    problems: [...input.problems],
  };
}

function historyRow(input: HistoryBatchInput): HistoryBatch {
  const state = input.interrupted ? { ...input.state, status: 'interrupted' as const } : input.state;
  const report = buildBatchReport(state).report;
  const { id, createdAt, status, mode, tickets, done } = comparisonRow(report);
  const cost = report.totals.costUsd;
  const mixTotal = [...input.modelCost.values()].reduce((s, c) => s + c.costUsd, 0);
  return {
    id,
    createdAt,
    status,
    mode,
    tickets,
    done,
    accepted: input.accepted,
    costUsd: cost,
    costPerAcceptedUsd: cost !== null && input.accepted > 0 ? cost / input.accepted : null,
    cacheReadShare: report.totals.cacheReadShare,
    modelMix: [...input.modelCost]
      .sort((a, b) => b[1].costUsd - a[1].costUsd || a[0].localeCompare(b[0]))
      .map(([model, { costUsd, tier }]) => ({ model, tier, costUsd, share: mixTotal > 0 ? costUsd / mixTotal : 0 })),
  };
}

function outcomeCell(row: OutcomeRow, threshold: number, minSamples: number): OutcomeCell {
  const { attempts, successes } = row;
  const lowerBound = attempts > 0 ? wilsonLowerBound(successes, attempts) : null;
  return {
    complexityClass: row.class,
    tier: row.tier,
    attempts,
    successes,
    successRate: attempts > 0 ? successes / attempts : null,
    lowerBound,
    trusted: attempts >= minSamples && lowerBound !== null && lowerBound >= threshold,
    avgFixLoops: attempts > 0 ? row.fixLoops / attempts : null,
    avgCostUsd: attempts > 0 ? row.costUsd / attempts : null,
  };
}
