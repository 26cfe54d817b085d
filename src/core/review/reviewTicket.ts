import type { Logger } from '../logger';
import type { IssueOrigin } from '../tickets/issueText';
import type { ReviewChoice } from '../tickets/ticketSchema';
import type { DiffSummary } from './diffSummary';
import { DiffIndex, dedupeFindings, type PlacedFinding } from './findings';
import type { GateCommands, GateOptions, GatesOutcome, Verdict } from './gateTypes';
import { runModelReview, type TieredReview } from './modelReviews';
import { diffHash, type ReviewCache } from './reviewCache';
import type { ReviewCallMeta, ReviewModel } from './reviewModel';
import { modelReviewsFor, type ModelReviewKind, type ReviewLevel } from './reviewLevels';
import { capDiff, HOUSE_CHECKLIST, type ReviewContext } from './reviewPrompts';
import { decideLevel, scoreRisk, type RiskAssessment } from './riskScore';
import { runGates } from './runGates';

/** The parts of a ticket the review reads; a loaded Ticket fits as it is. */
export interface ReviewTicketInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly acceptance: readonly string[];
  readonly review: ReviewChoice;
  /** A GitHub issue's text is quoted to the reviewers as outside data, as it is to the worker. */
  readonly issue?: IssueOrigin;
}

export interface ReviewTicketInput {
  readonly ticket: ReviewTicketInfo;
  readonly diff: DiffSummary;
  /** The ticket's worktree, where the gate commands run. */
  readonly worktree: string;
  readonly commands: GateCommands;
  readonly model: ReviewModel;
  readonly meta: ReviewCallMeta;
  readonly alwaysFullFor?: readonly string[];
  readonly cache?: ReviewCache;
  readonly gateOptions?: Omit<GateOptions, 'signal'>;
  /** Replaces HOUSE_CHECKLIST for T1. */
  readonly checklist?: readonly string[];
  /**
   * Run the model reviews even when a gate failed. Off by default: the fix loop has to change the
   * code anyway, so a review of code that does not build is money spent on a diff about to change.
   */
  readonly reviewEvenIfGatesFail?: boolean;
  /** Diff characters sent to review models. Default 150,000 (about 40k tokens). */
  readonly maxDiffChars?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

export interface SkippedReview {
  readonly kind: ModelReviewKind;
  readonly reason: string;
}

export interface ReviewOutcome {
  readonly level: ReviewLevel;
  readonly risk: RiskAssessment;
  /** Why this level: the score, its signals, overrides. */
  readonly reasons: readonly string[];
  readonly gates: GatesOutcome;
  readonly modelReviews: readonly TieredReview[];
  readonly skippedReviews: readonly SkippedReview[];
  /** PASS only when every gate and every model review that ran passed. A FAIL goes to the fix loop. */
  readonly verdict: Verdict;
  /** Every model review's findings, repeats removed; findings outside the diff are kept with inDiff false. */
  readonly findings: readonly PlacedFinding[];
}

const DEFAULT_MAX_DIFF_CHARS = 150_000;

/** Risk → level → command gates → the model reviews of that level (at once), for one ticket's change. */
export async function reviewTicket(input: ReviewTicketInput): Promise<ReviewOutcome> {
  const risk = scoreRisk(input.diff, { alwaysFullFor: input.alwaysFullFor });
  const { level, reasons } = decideLevel(risk, input.ticket.review);
  const gates = await runGates(level, input.commands, input.worktree, { ...input.gateOptions, signal: input.signal });

  const kinds = modelReviewsFor(level);
  const runReviews = gates.verdict === 'PASS' || input.reviewEvenIfGatesFail === true;
  const skippedReviews = runReviews ? [] : kinds.map((kind) => ({ kind, reason: 'not run: a command gate failed' }));
  const modelReviews = runReviews && kinds.length > 0 ? await runAll(kinds, input) : [];

  const verdict: Verdict = gates.verdict === 'PASS' && modelReviews.every((r) => r.verdict === 'PASS') ? 'PASS' : 'FAIL';
  return {
    level,
    risk,
    reasons,
    gates,
    modelReviews,
    skippedReviews,
    verdict,
    findings: dedupeFindings(modelReviews.flatMap((r) => r.findings)),
  };
}

async function runAll(kinds: readonly ModelReviewKind[], input: ReviewTicketInput): Promise<TieredReview[]> {
  const context: ReviewContext = {
    ticket: input.ticket,
    diff: capDiff(input.diff.unified, input.maxDiffChars ?? DEFAULT_MAX_DIFF_CHARS),
    checklist: input.checklist ?? HOUSE_CHECKLIST,
  };
  const index = new DiffIndex(input.diff);
  const deps = { model: input.model, meta: input.meta, diffHash: diffHash(input.diff.unified), cache: input.cache, signal: input.signal, logger: input.logger };
  return Promise.all(kinds.map((kind) => runModelReview(kind, context, index, deps)));
}
