import { TIERS, type Tier } from '../llm/usageRecord';
import type { ComplexityClass } from './complexityScore';
import { outcomesFor, type OutcomeRow } from './outcomesTable';
import { wilsonLowerBound } from './proportionStats';
import { lowerTier, tierRank } from './specification';

export interface AdaptiveOptions {
  /** `flotilla.routing.threshold`: the Wilson 95% lower bound a tier's success must clear. */
  readonly threshold: number;
  /** Attempts a tier needs before its record counts at all. */
  readonly minSamples: number;
  /** Share of picks sent one tier cheaper than the learned choice, to keep measuring it. */
  readonly explorationShare: number;
  /** Uniform [0, 1) source; injected so tests (and replays) are deterministic. */
  readonly random: () => number;
}

export const DEFAULT_ADAPTIVE_OPTIONS: AdaptiveOptions = {
  threshold: 0.7,
  minSamples: 5,
  explorationShare: 0.1,
  random: Math.random,
};

export type AdaptiveSource = 'default' | 'learned' | 'exploration';

export interface AdaptiveChoice {
  readonly tier: Tier;
  readonly source: AdaptiveSource;
  /** One line: why this tier, with the evidence. */
  readonly reason: string;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * The cheapest tier whose first-pass success lower bound clears the threshold, given enough
 * samples; otherwise the score's default tier. With probability `explorationShare` the pick moves
 * one tier cheaper, so a tier that has not yet proven itself (or stopped being needed) keeps
 * getting measured instead of being locked out by its first few results.
 */
export function chooseAdaptiveTier(
  table: readonly OutcomeRow[],
  complexityClass: ComplexityClass,
  defaultTier: Tier,
  options: Partial<AdaptiveOptions> = {},
): AdaptiveChoice {
  const o = { ...DEFAULT_ADAPTIVE_OPTIONS, ...options };
  let choice: AdaptiveChoice = { tier: defaultTier, source: 'default', reason: `no tier has ${o.minSamples}+ ${complexityClass} results clearing ${percent(o.threshold)} yet` };
  for (const tier of TIERS) {
    const row = outcomesFor(table, complexityClass, tier);
    if (row.attempts < o.minSamples) continue;
    const low = wilsonLowerBound(row.successes, row.attempts);
    if (low >= o.threshold) {
      choice = {
        tier,
        source: 'learned',
        reason: `${tier} passed ${row.successes}/${row.attempts} ${complexityClass} tickets first time (lower bound ${percent(low)} ≥ ${percent(o.threshold)})`,
      };
      break;
    }
  }
  const rank = tierRank(choice.tier);
  if (rank > 0 && o.explorationShare > 0 && o.random() < o.explorationShare) {
    const cheaper = TIERS[rank - 1] ?? choice.tier;
    return { tier: cheaper, source: 'exploration', reason: `exploring ${cheaper} instead of ${choice.tier} (${percent(o.explorationShare)} of picks keep measuring the cheaper tier)` };
  }
  return choice;
}

/** Applies a ceiling (the ticket's maxTier) to an adaptive choice without losing why it was made. */
export function capChoice(choice: AdaptiveChoice, maxTier: Tier): AdaptiveChoice {
  const tier = lowerTier(choice.tier, maxTier);
  return tier === choice.tier ? choice : { ...choice, tier, reason: `${choice.reason}; capped at ${maxTier}` };
}
