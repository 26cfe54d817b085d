import { costOf } from '../llm/cost';
import { priceFor, type PricingOverrides } from '../llm/pricing';
import { modelForTier, type TierModels } from '../llm/tiers';
import type { RouteDecision } from '../routing/routeTicket';
import type { ModelClassRow } from '../store/metricsSchema';

/**
 * A typical first run of one ticket when this repository has no history yet, from the design studies'
 * figures (ARCHITECTURE.md idea 1): a worker start of 8–15k tokens written to the cache, about six
 * more turns that read it back, a few thousand output tokens, and a T1 review of about 5k on the fast tier.
 */
export const TYPICAL_RUN = {
  inputTokens: 4_000,
  cacheWriteTokens: 11_500,
  cacheReadTokens: 6 * 11_500,
  outputTokens: 3_000,
  reviewInputTokens: 4_500,
  reviewOutputTokens: 500,
} as const;

export interface TypicalCost {
  /** Expected spend if each ticket passes on its first run (no fix loop, no move up a tier). */
  readonly usd: number;
  /** How many tickets were priced from this repository's own runs; the rest from TYPICAL_RUN. */
  readonly fromHistory: number;
  readonly tickets: number;
}

export interface TypicalCostInput {
  readonly decisions: readonly RouteDecision[];
  readonly tierModels: TierModels;
  readonly pricing: PricingOverrides;
  /** metrics.json `byModelClass`: the average cost of an attempt at a model for a class. */
  readonly history?: readonly ModelClassRow[];
  /** Attempts a (model, class) needs before its average replaces the default. */
  readonly minSamples: number;
}

/** The "expected (typical)" figure of the run confirmation; unpriced models count as free and are flagged elsewhere. */
export function typicalBatchCost(input: TypicalCostInput): TypicalCost {
  let usd = 0;
  let fromHistory = 0;
  for (const decision of input.decisions) {
    const model = decision.modelId ?? modelForTier(decision.tier ?? 'strong', input.tierModels);
    const row = input.history?.find((r) => r.model === model && r.class === decision.complexityClass && r.attempts >= input.minSamples);
    if (row) {
      usd += row.costUsd / row.attempts;
      fromHistory += 1;
    } else {
      usd += defaultRunUsd(model, input);
    }
  }
  return { usd, fromHistory, tickets: input.decisions.length };
}

function defaultRunUsd(model: string, input: TypicalCostInput): number {
  const price = priceFor(model, input.pricing);
  const reviewer = priceFor(modelForTier('fast', input.tierModels), input.pricing);
  const work = price
    ? costOf({ inputTokens: TYPICAL_RUN.inputTokens, outputTokens: TYPICAL_RUN.outputTokens, cacheWrite5mTokens: TYPICAL_RUN.cacheWriteTokens, cacheWrite1hTokens: 0, cacheReadTokens: TYPICAL_RUN.cacheReadTokens }, price)
    : 0;
  const review = reviewer ? costOf({ inputTokens: TYPICAL_RUN.reviewInputTokens, outputTokens: TYPICAL_RUN.reviewOutputTokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 }, reviewer) : 0;
  return work + review;
}
