import type { Tier } from '../llm/usageRecord';
import { dedupeFindings, placeFindings, type DiffIndex, type PlacedFinding } from './findings';
import type { Verdict } from './gateTypes';
import { runReviewCall, type ReviewCallDeps, type ReviewCallResult } from './reviewCall';
import { TIER_OF_REVIEW, type ModelReviewKind } from './reviewLevels';
import { checklistPrompt, expertPrompt, judgePrompt, panelReviewerPrompt, type PanelOpinion, type ReviewContext } from './reviewPrompts';

/** One review tier's result: T1 and T2 are one call each, T3 is two reviewers and a judge. */
export interface TieredReview {
  readonly kind: ModelReviewKind;
  readonly tier: Tier;
  readonly verdict: Verdict;
  readonly findings: readonly PlacedFinding[];
  readonly summary?: string;
  /** Why the review failed without (or beyond) its findings, e.g. invalid output. */
  readonly reason?: string;
  /** Every call behind the result, reviewers before the judge. */
  readonly calls: readonly ReviewCallResult[];
}

export async function runModelReview(kind: ModelReviewKind, context: ReviewContext, index: DiffIndex, deps: ReviewCallDeps): Promise<TieredReview> {
  if (kind === 'T3') return runPanel(context, index, deps);
  const prompt = kind === 'T1' ? checklistPrompt(context) : expertPrompt(context);
  const call = await runReviewCall(kind, TIER_OF_REVIEW[kind], prompt, deps);
  return fromSingleCall(kind, call, index);
}

function fromSingleCall(kind: ModelReviewKind, call: ReviewCallResult, index: DiffIndex): TieredReview {
  return {
    kind,
    tier: call.tier,
    verdict: call.verdict,
    findings: placeFindings(call.findings, index, kind),
    ...(call.summary === undefined ? {} : { summary: call.summary }),
    ...(call.reason === undefined ? {} : { reason: call.reason }),
    calls: [call],
  };
}

/**
 * T3: two reviewers with different personas on the strong tier, run at once and blind to each
 * other, then a judge who sees both and gives the final verdict and the merged findings. A reviewer
 * whose output was unusable is shown to the judge as such; with neither usable there is nothing to
 * judge and the review fails.
 */
async function runPanel(context: ReviewContext, index: DiffIndex, deps: ReviewCallDeps): Promise<TieredReview> {
  const tier = TIER_OF_REVIEW.T3;
  const [a, b] = await Promise.all([
    runReviewCall('T3-A', tier, panelReviewerPrompt(context, 'A'), deps),
    runReviewCall('T3-B', tier, panelReviewerPrompt(context, 'B'), deps),
  ]);
  const reviewerFindings = () => dedupeFindings(placeFindings([...a.findings, ...b.findings], index, 'T3'));
  if (!a.valid && !b.valid) {
    return { kind: 'T3', tier, verdict: 'FAIL', findings: [], reason: `both reviewers' output was invalid (A: ${a.reason ?? ''}; B: ${b.reason ?? ''})`, calls: [a, b] };
  }
  const judge = await runReviewCall('T3-judge', tier, judgePrompt(context, { A: opinionOf(a), B: opinionOf(b) }), deps);
  if (!judge.valid) {
    // Without a ruling the reviewers' findings are all there is; keep them so the fix loop can act.
    return { kind: 'T3', tier, verdict: 'FAIL', findings: reviewerFindings(), reason: `judge: ${judge.reason ?? 'no ruling'}`, calls: [a, b, judge] };
  }
  return {
    kind: 'T3',
    tier,
    verdict: judge.verdict,
    findings: placeFindings(judge.findings, index, 'T3'),
    ...(judge.summary === undefined ? {} : { summary: judge.summary }),
    calls: [a, b, judge],
  };
}

function opinionOf(call: ReviewCallResult): PanelOpinion {
  if (!call.valid) return { ok: false, reason: call.reason ?? 'invalid output' };
  return { ok: true, review: { verdict: call.verdict, findings: [...call.findings], ...(call.summary === undefined ? {} : { summary: call.summary }) } };
}
