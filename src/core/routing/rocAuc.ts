/**
 * Area under the ROC curve: the probability that a randomly chosen positive scores higher than a
 * randomly chosen negative (ties count half). Rank-based (Mann–Whitney), so it is exact and O(n log n).
 * Returns null when either class is empty.
 */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number | null {
  if (scores.length !== positive.length) throw new RangeError('scores and labels differ in length');
  const items = scores.map((score, i) => ({ score, positive: positive[i] === true })).sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < items.length; ) {
    let j = i;
    while (j < items.length && items[j]?.score === items[i]?.score) j++;
    // Tied scores share the mean of their ranks (1-based ranks i+1 .. j).
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (items[k]?.positive) {
        rankSumPositive += meanRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = items.length - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * k-fold split by index (deterministic: row i goes to fold i mod k), for cross-validating anything
 * tuned on a calibration set.
 */
export function foldOf(index: number, folds: number): number {
  return index % folds;
}
