/** Small statistics for the learned router: enough to decide and to report, nothing more. */

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/**
 * Wilson score interval lower bound for `successes` of `attempts`. Unlike the normal approximation it
 * stays inside [0, 1] and is honest at small counts: 5/5 gives ≈ 0.57, not 1.
 */
export function wilsonLowerBound(successes: number, attempts: number, z: number = Z_95): number {
  if (attempts <= 0) return 0;
  const p = successes / attempts;
  const z2 = z * z;
  const centre = p + z2 / (2 * attempts);
  const margin = z * Math.sqrt((p * (1 - p)) / attempts + z2 / (4 * attempts * attempts));
  return Math.max(0, (centre - margin) / (1 + z2 / attempts));
}

/** Standard normal CDF via the complementary error function (Numerical Recipes erfc, |error| < 1.2e-7). */
export function normalCdf(x: number): number {
  return 1 - 0.5 * erfc(x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z - 1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

export interface ProportionTest {
  readonly z: number;
  /** Two-sided p-value; 1 when there is nothing to compare (no attempts, or no variance at all). */
  readonly pValue: number;
}

/** Pooled two-proportion z-test of success rates a vs b. */
export function twoProportionZTest(successesA: number, attemptsA: number, successesB: number, attemptsB: number): ProportionTest {
  if (attemptsA <= 0 || attemptsB <= 0) return { z: 0, pValue: 1 };
  const pooled = (successesA + successesB) / (attemptsA + attemptsB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / attemptsA + 1 / attemptsB));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (successesA / attemptsA - successesB / attemptsB) / se;
  return { z, pValue: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}
