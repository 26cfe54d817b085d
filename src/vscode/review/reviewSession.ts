import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GitClient } from '../../core/git/gitClient';
import { baseUri } from './reviewDocuments';
import { loadStoredReview, type ReviewableTicket, type StoredReviewResult } from '../../core/session/reviewableTickets';
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
  /** Whether the right side is the real worktree file (editable, comments live there) or a read-only copy. */
  readonly worktreeExists: boolean;
  /** Where a changed path's threads go. */
  uriOf(path: string): vscode.Uri | undefined;
}

export async function buildReviewSession(git: GitClient, storage: string, ticket: ReviewableTicket): Promise<ReviewSession> {
  const [files, review, worktreeExists] = await Promise.all([
    ticketChangedFiles(git, ticket.repoRoot, ticket.baseCommit, ticket.branch),
    loadStoredReview(storage, ticket.batchId, ticket.ticketId),
    isDirectory(ticket.worktree),
  ]);
  const rightOf = (path: string): vscode.Uri =>
    worktreeExists ? vscode.Uri.file(join(ticket.worktree, path)) : baseUri(ticket.repoRoot, `refs/heads/${ticket.branch}`, path);
  const threadUris = new Map<string, vscode.Uri>();
  const resources = files.map((file): ChangeResource => {
    // Both sides are always documents (an added file's base, a deleted file's ticket side read as
    // empty): the changes editor drops rows with a missing side from its tab input.
    const left = baseUri(ticket.repoRoot, ticket.baseCommit, file.oldPath ?? file.path);
    const right = file.status === 'deleted' ? baseUri(ticket.repoRoot, `refs/heads/${ticket.branch}`, file.path) : rightOf(file.path);
    threadUris.set(file.path, right);
    return [right, left, right];
  });
  const findings = review.kind === 'ok' ? review.review.findings : [];
  return {
    ticket,
    title: `Review ${ticket.ticketId}: ${ticket.title}`,
    files,
    resources,
    placements: placeThreads(findings, files.map((f) => f.path)),
    review,
    worktreeExists,
    uriOf: (path) => threadUris.get(path),
  };
}
