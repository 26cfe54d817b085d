import * as vscode from 'vscode';
import type { GitClient } from '../../core/git/gitClient';
import { baseUri, ticketUri } from './reviewDocuments';
import type { ReviewableTicket } from '../../core/session/reviewableTickets';
import { loadStoredReview, type StoredReviewResult } from '../../core/store/storedReview';
import { verdictView, type VerdictView } from '../../core/session/reviewVerdict';
import { placeThreads, type ThreadPlacement } from '../../core/session/threadPlacement';
import { ticketChangedFiles, type ChangedFile } from '../../core/session/ticketChanges';
import { isDirectory } from '../../core/session/ticketDecisions';

/** One row of `vscode.changes`: the resource, the left (base) side and the right (ticket) side. */
export type ChangeResource = readonly [vscode.Uri, vscode.Uri, vscode.Uri];

/** Everything the review of one ticket shows, computed once per opening. */
export interface ReviewSession {
  readonly ticket: ReviewableTicket;
  readonly title: string;
  readonly files: readonly ChangedFile[];
  readonly resources: readonly ChangeResource[];
  readonly placements: readonly ThreadPlacement[];
  readonly review: StoredReviewResult;
  /** The level, verdict, summaries and failed gates, when a review was stored. */
  readonly verdict: VerdictView | undefined;
  /** Whether the ticket's worktree is still on disk (per-file rejects commit there). */
  readonly worktreeExists: boolean;
  /** Where a changed path's threads go. */
  uriOf(path: string): vscode.Uri | undefined;
}

/**
 * Both sides are read from git at fixed commits — the batch's base and the ticket branch's tip — under
 * the file's repository path, as the Git and GitHub Pull Request extensions do: the headers read
 * "src/greet.ts", not a path in workspace storage, and a changed file is not shown as a rename.
 * The right side is what Accept merges (the branch), not whatever is uncommitted in the worktree.
 */
export async function buildReviewSession(git: GitClient, storage: string, ticket: ReviewableTicket): Promise<ReviewSession> {
  const [files, review, worktreeExists, tip] = await Promise.all([
    ticketChangedFiles(git, ticket.repoRoot, ticket.baseCommit, ticket.branch),
    loadStoredReview(storage, ticket.batchId, ticket.ticketId),
    isDirectory(ticket.worktree),
    branchTip(git, ticket),
  ]);
  const threadUris = new Map<string, vscode.Uri>();
  const resources = files.map((file): ChangeResource => {
    // Both sides are always documents (an added file's base, a deleted file's ticket side read as
    // empty): the changes editor drops rows with a missing side from its tab input.
    const left = baseUri(ticket.repoRoot, ticket.baseCommit, file.oldPath ?? file.path);
    const right = ticketUri(ticket.repoRoot, tip, file.path, ticket);
    threadUris.set(file.path, right);
    return [right, left, right];
  });
  const findings = review.kind === 'ok' ? review.review.findings : [];
  return {
    ticket,
    title: `Review ${ticket.ticketId}: ${ticket.title} (base ${ticket.baseCommit.slice(0, 7)} ↔ ${ticket.ticketId})`,
    files,
    resources,
    placements: placeThreads(findings, files.map((f) => f.path)),
    review,
    verdict: review.kind === 'ok' ? verdictView(review.review, ticket.decision?.files ?? {}) : undefined,
    worktreeExists,
    uriOf: (path) => threadUris.get(path),
  };
}

/** The branch's tip now (a per-file reject moves it), so a reopened review never shows a stale side. */
async function branchTip(git: GitClient, ticket: ReviewableTicket): Promise<string> {
  const out = await git.run(ticket.repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${ticket.branch}^{commit}`], { okExitCodes: [1] });
  return out.exitCode === 0 ? out.stdout.trim() : (ticket.commit ?? `refs/heads/${ticket.branch}`);
}
