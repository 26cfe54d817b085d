import type { TicketLifecycle } from '../vocabulary/ticketStates';

/** One ticket's line of a batch report (issue 7 item 6: tier path, tokens, $, gates, fix loops). */
export interface TicketReportRow {
  readonly id: string;
  readonly title: string;
  readonly complexityClass: string;
  readonly score: number | null;
  /** Every tier the ticket ran on, in order, e.g. `fast → balanced`. */
  readonly tierPath: readonly string[];
  readonly model: string;
  /** The run state as stored (execution log `status`). */
  readonly status: string;
  /** Where the ticket stands for a person, decisions included: the words of the tree, panel and `flotilla status`. */
  readonly lifecycle: TicketLifecycle;
  readonly tokens: number;
  readonly costUsd: number | null;
  readonly fixLoops: number;
  readonly escalations: number;
  readonly reviewLevel: string | null;
  readonly reviewResult: string | null;
  readonly findings: number;
  /** `name: status` of each command gate of the last review, e.g. `test: pass`. */
  readonly gates: readonly string[];
  readonly branch: string | null;
  readonly reason: string;
  /** The worker engines that ran its work and fix stages, in order of first use (empty: not recorded). */
  readonly engines: readonly string[];
}

export interface BatchReport {
  readonly id: string;
  readonly status: string;
  readonly mode: string;
  /** Ran against the simulated model: its costs are what Claude would have cost, nothing was billed. */
  readonly simulated: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly tickets: readonly TicketReportRow[];
  readonly totals: { readonly tokens: number; readonly costUsd: number | null; readonly cacheReadShare: number | null };
  /**
   * Calls of this batch whose outcome is unknown (a kill during the call left their reservation
   * open): not in `totals`, which sums recorded usage; the budget counts them at `atMostUsd`.
   */
  readonly unknownOutcomes: UnknownOutcomes;
  /** Orchestrated vs. one single-agent run per ticket; null fields when the batch did not finish. */
  readonly analysis: {
    readonly orchestratedUsd: number | null;
    readonly singleAgentEstimateUsd: number | null;
    readonly savingsPct: number | null;
    readonly routingSavingsVsStrongPct: number | null;
  };
}

/** One line of the comparison across batches, newest first. */
export interface BatchComparisonRow {
  readonly id: string;
  readonly createdAt: string;
  readonly status: string;
  readonly mode: string;
  readonly simulated: boolean;
  readonly tickets: number;
  readonly done: number;
  readonly fixLoops: number;
  readonly escalations: number;
  readonly tokens: number;
  readonly costUsd: number | null;
  readonly singleAgentEstimateUsd: number | null;
  readonly savingsPct: number | null;
}

import type { TierComparison } from '../routing/tierComparison';
import type { UnknownOutcomes } from '../store/openReservations';

/** What the metrics (src/core/store, rebuilt from ledger + outcomes) say, for the report's last section. */
export interface ReportMetrics {
  readonly calls: number;
  readonly costUsd: number;
  /** The part of calls and costUsd that went to the simulated model (not billed). */
  readonly simulatedCalls: number;
  readonly simulatedCostUsd: number;
  /** Calls whose outcome is unknown (open reservations, simulated ones left out) and their worst cases. */
  readonly openReservations: number;
  readonly openReservedUsd: number;
  readonly cacheHitRate: number | null;
  readonly modelMix: readonly { readonly model: string; readonly calls: number; readonly costUsd: number; readonly costShare: number }[];
  readonly suggestions: readonly string[];
  /** The router's A/B view: each class and pair of neighbouring tiers that both have outcomes. */
  readonly routingAb: readonly TierComparison[];
}

export interface Report {
  readonly generatedAt: string;
  readonly batch: BatchReport;
  readonly comparison: readonly BatchComparisonRow[];
  readonly metrics: ReportMetrics;
  /** Skipped ledger lines, quarantined states, unreadable records: shown, never fatal. */
  readonly problems: readonly string[];
}
