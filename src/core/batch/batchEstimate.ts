import { priceFor, type PricingOverrides } from '../llm/pricing';
import { modelForTier, type TierModels } from '../llm/tiers';
import type { Tier } from '../llm/usageRecord';
import { estimateBreakEven, type BreakEvenEstimate, type StageTokens, type TierPrice } from '../routing/breakEven';
import type { RouteDecision } from '../routing/routeTicket';
import type { BatchMode, BatchModeChoice } from '../vocabulary/batchStates';

export interface BatchEstimate {
  /** Orchestrated or direct: a single batch has no shared planning either, so its estimate says direct. */
  readonly mode: Exclude<BatchMode, 'single'>;
  /** Why this mode: the break-even explanation, or the user's choice. */
  readonly modeReason: string;
  readonly breakEven: BreakEvenEstimate;
  /** The most the batch can spend under the per-run caps (first run + fix loops + escalations). */
  readonly capUsd: number;
  /** How capUsd comes about: tickets × runs each at most × the cost cap of one run. */
  readonly worstCase: { readonly runsPerTicket: number; readonly capPerRunUsd: number };
  /** True when the mode was chosen (--mode), not decided by the break-even estimate. */
  readonly chosen?: boolean;
}

export interface EstimateInput {
  readonly decisions: readonly RouteDecision[];
  readonly tierModels: TierModels;
  readonly pricing: PricingOverrides;
  readonly choice: BatchModeChoice;
  readonly maxCostPerRunUsd: number;
  readonly runsPerTicket: number;
  readonly history?: Partial<StageTokens>;
}

/** Prices a tier from the pricing table; an unpriced model counts as free here and is flagged elsewhere. */
export function tierPrice(tier: Tier, tierModels: TierModels, pricing: PricingOverrides): TierPrice {
  const price = priceFor(modelForTier(tier, tierModels), pricing);
  if (!price) return { inputPerMTok: 0, outputPerMTok: 0, cacheReadPerMTok: 0 };
  return { inputPerMTok: price.input, outputPerMTok: price.output, cacheReadPerMTok: price.cacheRead, cacheWritePerMTok: price.cacheWrite5m };
}

/** The pre-batch estimate: orchestrated vs. one single-agent run per ticket, and the mode it implies. */
export function estimateBatch(input: EstimateInput): BatchEstimate {
  const ticketTiers = input.decisions.map((d) => d.tier ?? 'strong');
  const breakEven = estimateBreakEven({
    ticketTiers,
    price: (tier) => tierPrice(tier, input.tierModels, input.pricing),
    planningTier: 'balanced',
    monitoringTier: 'fast',
    history: input.history,
  });
  const capUsd = input.decisions.length * input.maxCostPerRunUsd * input.runsPerTicket;
  const worstCase = { runsPerTicket: input.runsPerTicket, capPerRunUsd: input.maxCostPerRunUsd };
  if (input.choice === 'orchestrated' || input.choice === 'direct') {
    return { mode: input.choice, modeReason: `${input.choice} mode chosen with --mode`, breakEven, capUsd, worstCase, chosen: true };
  }
  if (input.choice === 'single') {
    return { mode: 'direct', modeReason: 'single mode: one strong-tier agent per ticket, no shared planning or context (the baseline)', breakEven, capUsd, worstCase, chosen: true };
  }
  return { mode: breakEven.mode, modeReason: breakEven.explanation, breakEven, capUsd, worstCase };
}
