import { stringify } from 'yaml';
import type { BatchSummary } from './batchTypes';

/**
 * `execution-log.yaml` of a batch, in the shape of the design studies (ARCHITECTURE.md, "Batch
 * execution log"). A public format: fields are only ever added. Added here: `batch.state`,
 * `batch.simulated`, `batch.engine` (with its reason), per ticket `tier_history`, `branch` and `detail`,
 * and per work/fix stage the `engine` that ran it.
 */
export function buildExecutionLog(summary: BatchSummary): Record<string, unknown> {
  const round = (usd: number | null) => (usd === null ? null : Math.round(usd * 1e6) / 1e6);
  return {
    batch: { id: summary.batchId, startedAt: summary.startedAt, endedAt: summary.endedAt, mode: summary.mode, concurrency: summary.concurrency, state: summary.state, simulated: summary.simulated, ...(summary.engine ? { engine: summary.engine.name, engine_reason: summary.engine.reason } : {}) },
    shared_planning: summary.planning ? { model: summary.planning.model, tokens: summary.planning.tokens, costUsd: round(summary.planning.costUsd), source: summary.planning.source } : null,
    tickets: Object.fromEntries(
      summary.tickets.map((t) => [
        t.id,
        {
          class: t.complexityClass,
          score: t.score,
          tier: t.tier,
          model: t.model,
          reason: t.reason,
          stages: t.stages.map((s) => ({ stage: s.stage, model: s.model, tokens: s.tokens, costUsd: round(s.costUsd), result: s.result, ...(s.engine ? { engine: s.engine } : {}) })),
          fix_loops: t.fixLoops,
          escalations: t.escalations,
          review: t.review,
          status: t.state,
          costUsd: round(t.costUsd),
          tier_history: t.tierHistory,
          branch: t.branch,
          detail: t.detail,
        },
      ]),
    ),
    totals: { tokens: summary.totals.tokens, costUsd: round(summary.totals.costUsd), cacheReadShare: Math.round(summary.totals.cacheReadShare * 1000) / 1000 },
    batching_analysis: {
      orchestrated_usd: round(summary.analysis.orchestratedUsd),
      single_agent_estimate_usd: round(summary.analysis.singleAgentEstimateUsd),
      savings_pct: summary.analysis.savingsPct,
      routing_savings_vs_strong_pct: summary.analysis.routingSavingsVsStrongPct,
    },
  };
}

export function renderExecutionLog(log: Record<string, unknown>): string {
  return stringify(log, { lineWidth: 0 });
}
