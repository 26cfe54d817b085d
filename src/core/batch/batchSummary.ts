import { costOf } from '../llm/cost';
import { priceFor, type ModelPrice } from '../llm/pricing';
import type { UsageRecord } from '../llm/usageRecord';
import type { Settings } from '../settings/settingsSchema';
import type { BatchEstimate } from './batchEstimate';
import type { BatchSummary, TicketRecord } from './batchTypes';
import { cacheReadShare, totalTokens, type UsageTally } from './usageTally';

export interface SummaryInput extends Pick<BatchSummary, 'batchId' | 'state' | 'mode' | 'startedAt' | 'endedAt' | 'concurrency' | 'simulated' | 'planning'> {
  readonly records: readonly TicketRecord[];
  readonly tally: UsageTally;
  readonly estimate: BatchEstimate;
  readonly settings: Settings;
  readonly strongModel: string;
}

const pct = (saved: number, of: number): number | null => (of > 0 ? Math.round(((of - saved) / of) * 1000) / 10 : null);

/**
 * Batch totals and the batching analysis of the execution log.
 * - The single-agent estimate prices the same calls as separate single-agent runs would pay for
 *   them: no shared prefix, so every cache read is billed as plain input; in orchestrated mode it
 *   also swaps the orchestration overhead for the single agents' own discovery (the break-even
 *   estimate's two overheads). In direct mode nothing was planned, so no overhead is swapped.
 * - Routing savings re-price every call of the batch at the strong tier's model.
 */
export function summarizeBatch(input: SummaryInput): BatchSummary {
  const totals = input.tally.totals({ batchId: input.batchId });
  const spent = totals.costUsd;
  const overheadDelta = input.mode === 'orchestrated' ? input.estimate.breakEven.singleAgentUsd - input.estimate.breakEven.orchestratedUsd : 0;
  const uncached = repriced(input, (record) => priceFor(record.model, input.settings['llm.pricing']), true);
  const singleAgent = uncached === null ? null : Math.max(0, uncached + overheadDelta);
  const strongPrice = priceFor(input.strongModel, input.settings['llm.pricing']);
  const strongEquivalent = strongPrice ? repriced(input, () => strongPrice, false) : null;
  return {
    batchId: input.batchId,
    state: input.state,
    mode: input.mode,
    startedAt: input.startedAt,
    endedAt: input.endedAt,
    concurrency: input.concurrency,
    simulated: input.simulated,
    planning: input.planning,
    tickets: input.records.map((r) => ({ ...r })),
    totals: { tokens: totalTokens(totals), costUsd: spent, cacheReadShare: cacheReadShare(totals) },
    analysis: {
      orchestratedUsd: spent,
      singleAgentEstimateUsd: singleAgent,
      savingsPct: spent === null || singleAgent === null ? null : pct(spent, singleAgent),
      routingSavingsVsStrongPct: spent === null || strongEquivalent === null ? null : pct(spent, strongEquivalent),
    },
  };
}

/** The batch's calls at other prices; null when a price is unknown. `uncached` bills cache reads as input. */
function repriced(input: SummaryInput, price: (record: UsageRecord) => ModelPrice | undefined, uncached: boolean): number | null {
  let sum = 0;
  for (const record of input.tally.all(input.batchId)) {
    const p = price(record);
    if (!p) return null;
    const usage = uncached ? { ...record, inputTokens: record.inputTokens + record.cacheReadTokens, cacheReadTokens: 0 } : record;
    sum += costOf(usage, p);
  }
  return sum;
}
