import type { Tier } from '../llm/usageRecord';
import type { ComplexityClass } from './complexityScore';
import { outcomesFor, type OutcomeRow } from './outcomesTable';
import { twoProportionZTest, wilsonLowerBound } from './proportionStats';
import { formatUsd } from '../vocabulary/amounts';

export interface TierArm {
  readonly tier: Tier;
  readonly attempts: number;
  readonly successRate: number | null;
  readonly wilsonLow: number;
  readonly meanCostUsd: number | null;
  readonly meanFixLoops: number | null;
}

export interface TierComparison {
  readonly complexityClass: ComplexityClass;
  /** The cheaper tier, kept measured by exploration. */
  readonly cheaper: TierArm;
  /** The tier the router would otherwise pick. */
  readonly incumbent: TierArm;
  /** Two-sided p-value of the two-proportion z-test on first-pass success; 1 without data. */
  readonly pValue: number;
  readonly significant: boolean;
  /** cheaper mean cost / incumbent mean cost; null without costs on both sides. */
  readonly costRatio: number | null;
  readonly summary: string;
  /** Both tiers have at least `samplesNeeded` finished tickets: below that the p-value means little. */
  readonly enoughSamples: boolean;
  readonly samplesNeeded: number;
}

/**
 * Finished tickets each tier needs before the A/B statistics are shown. The z-test's normal
 * approximation wants about five successes and five failures per tier; with first-pass rates around
 * 50–80%, ten is the least where that can hold, and below it one ticket moves the rate by 10 points.
 */
export const AB_MIN_SAMPLES_PER_TIER = 10;

function arm(table: readonly OutcomeRow[], complexityClass: ComplexityClass, tier: Tier): TierArm {
  const row = outcomesFor(table, complexityClass, tier);
  const n = row.attempts;
  return {
    tier,
    attempts: n,
    successRate: n > 0 ? row.successes / n : null,
    wilsonLow: wilsonLowerBound(row.successes, n),
    meanCostUsd: n > 0 ? row.costUsd / n : null,
    meanFixLoops: n > 0 ? row.fixLoops / n : null,
  };
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(0)}%`);
const usd = (x: number | null) => (x === null ? 'n/a' : formatUsd(x));

/** The A/B report behind exploration: is the cheaper tier as good, and what does it save? */
export function compareTiers(
  table: readonly OutcomeRow[],
  complexityClass: ComplexityClass,
  cheaperTier: Tier,
  incumbentTier: Tier,
  alpha = 0.05,
  samplesNeeded = AB_MIN_SAMPLES_PER_TIER,
): TierComparison {
  const cheaper = arm(table, complexityClass, cheaperTier);
  const incumbent = arm(table, complexityClass, incumbentTier);
  const a = outcomesFor(table, complexityClass, cheaperTier);
  const b = outcomesFor(table, complexityClass, incumbentTier);
  const { pValue } = twoProportionZTest(a.successes, a.attempts, b.successes, b.attempts);
  const costRatio =
    cheaper.meanCostUsd !== null && incumbent.meanCostUsd !== null && incumbent.meanCostUsd > 0
      ? cheaper.meanCostUsd / incumbent.meanCostUsd
      : null;
  const significant = pValue < alpha;
  const verdict = significant ? 'the difference in success is significant' : 'no significant difference in success';
  const summary =
    `${complexityClass}: ${cheaperTier} ${pct(cheaper.successRate)} of ${cheaper.attempts} at ${usd(cheaper.meanCostUsd)}/ticket vs ` +
    `${incumbentTier} ${pct(incumbent.successRate)} of ${incumbent.attempts} at ${usd(incumbent.meanCostUsd)}/ticket; ` +
    `p = ${pValue.toFixed(3)}, ${verdict}` +
    (costRatio === null ? '' : `; ${cheaperTier} costs ${costRatio.toFixed(2)}× ${incumbentTier}`);
  const enoughSamples = cheaper.attempts >= samplesNeeded && incumbent.attempts >= samplesNeeded;
  return { complexityClass, cheaper, incumbent, pValue, significant: enoughSamples && significant, costRatio, summary, enoughSamples, samplesNeeded };
}
