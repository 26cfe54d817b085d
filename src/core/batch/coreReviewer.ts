import type { GitClient } from '../git/gitClient';
import type { LlmClient } from '../llm/llmClient';
import type { Logger } from '../logger';
import type { UsageRecord } from '../llm/usageRecord';
import { diffSummaryFromChanges, diffSummaryFromGit } from '../review/diffSummaryFromGit';
import { sandboxPolicyFrom } from '../process/sandbox';
import type { ReviewCache } from '../review/reviewCache';
import { llmReviewModel } from '../review/reviewModel';
import { reviewTicket, type ReviewOutcome } from '../review/reviewTicket';
import type { Settings } from '../settings/settingsSchema';
import type { ReviewVerdict, TicketReviewer } from './ticketReviewer';

export interface CoreReviewerOptions {
  readonly git: GitClient;
  readonly client: Pick<LlmClient, 'call'>;
  readonly settings: Settings;
  /** Workspace storage (worktrees, transcripts): hidden from the gates' sandbox. */
  readonly storage: string;
  readonly workspace: string;
  readonly batchId: string;
  readonly logger: Logger;
  readonly cache?: ReviewCache;
  /** Records reviews answered from the cache (cached, cost 0) in the ledger. */
  readonly recordCached?: (record: UsageRecord) => Promise<void>;
  /** Every full outcome (gates, findings) for the review UI and the reports. */
  readonly onOutcome?: (ticketId: string, outcome: StoredReviewOutcome) => void;
}

/** An attempt of this batch whose gates or review failed, kept so Show Gate Output can show why it moved on. */
export interface EarlierAttempt {
  readonly attempt: number;
  readonly model: string | null;
  readonly level: string;
  readonly summary: string;
  readonly gates: ReviewOutcome['gates']['gates'];
}

/**
 * What is stored per ticket (batches/<id>/reviews/<ticket>.json, written by the batch recorder): the
 * latest attempt's full outcome, its attempt number, and the failed attempts before it in this run.
 */
export type StoredReviewOutcome = ReviewOutcome & { readonly attempt: number; readonly earlierAttempts: readonly EarlierAttempt[] };

/** The batch's reviewer: risk → level → command gates → model reviews (src/core/review), per attempt. */
export function coreReviewer(options: CoreReviewerOptions): TicketReviewer {
  const s = options.settings;
  const model = llmReviewModel(options.client, { tierModels: s['llm.tiers'], recordUsage: options.recordCached });
  const commands = { build: s['gates.build'] || undefined, lint: s['gates.lint'] || undefined, test: s['gates.test'] || undefined };
  const failedBefore = new Map<string, EarlierAttempt[]>();
  const sandbox = sandboxPolicyFrom(s, [options.storage]);
  return async ({ ticket, worktree, baseCommit, attempt, model: workerModel, changes, signal }) => {
    const diff = changes ? diffSummaryFromChanges(changes) : await diffSummaryFromGit(options.git, worktree, { from: baseCommit, to: 'HEAD' }, { signal });
    const outcome = await reviewTicket({
      ticket,
      diff,
      worktree,
      commands,
      model,
      meta: { workspace: options.workspace, batchId: options.batchId, ticketId: ticket.id },
      alwaysFullFor: s['review.alwaysFullFor'],
      cache: options.cache,
      gateOptions: { timeoutMs: s['commands.timeoutSeconds'] * 1000, sandbox },
      signal,
      logger: options.logger,
    });
    const verdict = toVerdict(outcome);
    const earlierAttempts = failedBefore.get(ticket.id) ?? [];
    options.onOutcome?.(ticket.id, { ...outcome, attempt, earlierAttempts });
    if (!verdict.passed) failedBefore.set(ticket.id, [...earlierAttempts, { attempt, model: workerModel ?? null, level: outcome.level, summary: verdict.summary, gates: outcome.gates.gates }]);
    return verdict;
  };
}

/** The fix loop's view of a review: what failed, with the gate output tails and the findings. */
export function toVerdict(outcome: ReviewOutcome): ReviewVerdict {
  const failedGates = outcome.gates.gates.filter((g) => g.status === 'fail' || g.status === 'timeout');
  const failedReviews = outcome.modelReviews.filter((r) => r.verdict === 'FAIL');
  const parts: string[] = [];
  for (const gate of failedGates) parts.push(`The ${gate.name} gate (${gate.command}) ${gate.status === 'timeout' ? 'timed out' : `failed with exit code ${gate.exitCode}`}. End of its output:\n${gate.output.slice(-4000)}`);
  for (const finding of outcome.findings.filter((f) => f.severity !== 'info')) {
    parts.push(`${finding.severity}: ${finding.file}${finding.line ? `:${finding.line}` : ''} — ${finding.message}`);
  }
  const summary =
    outcome.verdict === 'PASS'
      ? `${outcome.level} review passed (${outcome.gates.gates.filter((g) => g.status === 'pass').map((g) => g.name).join(', ') || 'no gates'}${outcome.modelReviews.length ? `; ${outcome.modelReviews.map((r) => r.kind).join(', ')}` : ''})`
      : [...failedGates.map((g) => `${g.name} gate failed`), ...failedReviews.map((r) => `${r.kind} review failed`)].join(', ') || 'review failed';
  return { passed: outcome.verdict === 'PASS', level: outcome.level, summary, feedback: parts.join('\n\n'), findings: outcome.findings.length, gates: outcome.gates.gates };
}
