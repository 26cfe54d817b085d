import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errorText';
import { settingsShape } from '../settings/settingsSchema';
import { loadTickets } from '../tickets/loadTickets';
import { setTicketStatus } from '../tickets/setTicketStatus';
import { diffUnified } from '../git/diff';
import type { GitClient } from '../git/gitClient';
import { LocalChangesBlockMergeError, MergeConflictError } from '../git/gitErrors';
import type { MergeOutcome } from '../git/mergeSimulation';
import { removeTicketWorktree } from '../git/worktrees';
import type { Logger } from '../logger';
import { BatchStateStore } from '../store/batchStateStore';
import { acceptTicket, type AcceptOutcome, type OverlapWarning } from './acceptTicket';
import { acceptFileChange, rejectFileChange, type FileAcceptOutcome } from './fileDecisions';
import { recordDecision, type DecisionChange } from './reviewDecisions';
import { FileMergeConflictError, LocalFileChangesError, TicketNotReviewableError, WorktreeMissingError } from './reviewErrors';
import { listReviewableTickets, type ReviewableTicket } from './reviewableTickets';
import { ticketChangedFiles, type ChangedFile } from './ticketChanges';

/** A decision that was refused before anything was written; `files` are the ones in the way. */
export interface RefusedOutcome {
  readonly kind: 'refused';
  readonly message: string;
  readonly files: readonly string[];
}

/**
 * What happened after the merge: the ticket file's `status:` set to done (null when the file could not
 * be found or changed, with `followUpProblems` saying why) and its worktree and branch removed.
 */
export interface AcceptFollowUp {
  readonly ticketFile: string | null;
  readonly cleanedUp: boolean;
  readonly followUpProblems: readonly string[];
}

export type TicketAcceptOutcome = (MergeOutcome & AcceptFollowUp) | Extract<AcceptOutcome, { kind: 'cancelled' }> | RefusedOutcome;

export interface TicketDecisionsOptions {
  /** The tickets folder of a repository (where accept finds the ticket's file); default: the setting's default under the repository. */
  readonly ticketsFolder?: (repoRoot: string) => string;
}
export type FileDecisionOutcome = FileAcceptOutcome | RefusedOutcome;

/**
 * The decisions on a finished ticket, the same for the editor and the CLI: both read and write the
 * stored batch state (state.json `extra.reviewDecisions`), so a decision made in one front end shows
 * in the other. Git is the only other thing touched: the user's current branch on accept, the
 * ticket's worktree and branch on reject.
 */
export class TicketDecisions {
  private readonly store: BatchStateStore;

  constructor(
    readonly storage: string,
    readonly git: GitClient,
    private readonly logger: Logger,
    private readonly options: TicketDecisionsOptions = {},
  ) {
    this.store = new BatchStateStore({ storage, logger });
  }

  /** Every done ticket with a branch, newest batch first, with its decision so far. */
  list(): Promise<ReviewableTicket[]> {
    return listReviewableTickets(this.store, this.storage);
  }

  /**
   * The tickets a command names: every batch that ran `ticketId` (newest first), or the one batch
   * given. Throws TicketNotReviewableError when none has a finished branch.
   */
  async find(ticketId: string, batchId?: string): Promise<ReviewableTicket[]> {
    const matches = (await this.list()).filter((t) => t.ticketId === ticketId && (batchId === undefined || t.batchId === batchId));
    if (matches.length === 0) throw new TicketNotReviewableError(ticketId, batchId);
    return matches;
  }

  changedFiles(ticket: ReviewableTicket): Promise<ChangedFile[]> {
    return ticketChangedFiles(this.git, ticket.repoRoot, ticket.baseCommit, ticket.branch);
  }

  /** The ticket's change as a unified diff (base commit ↔ ticket branch), optionally one file. */
  diff(ticket: ReviewableTicket, path?: string): Promise<string> {
    return diffUnified(this.git, ticket.repoRoot, { from: ticket.baseCommit, to: `refs/heads/${ticket.branch}`, ...(path === undefined ? {} : { paths: [path] }) });
  }

  /**
   * Merges the ticket into the repository's current branch after simulating the merge against it
   * and against the other accepted tickets (a conflict with those is asked through confirmOverlaps).
   * A conflict with the current branch or the user's uncommitted changes is refused, files named.
   * Once merged the ticket is done: its file says `status: done` (that line only) and its worktree
   * and branch go (the transcript, the review and the costs stay in storage).
   */
  async accept(ticket: ReviewableTicket, confirmOverlaps: (warnings: readonly OverlapWarning[]) => Promise<boolean>): Promise<TicketAcceptOutcome> {
    if (ticket.decision?.ticket === 'accepted' && !(await this.branchExists(ticket))) {
      // Accepted before and cleaned up: the answer is the earlier merge, not a git error about a missing branch.
      return { kind: 'alreadyMerged', into: ticket.decision.into ?? 'your branch', ...(await this.finishAccepted(ticket)) };
    }
    const others = (await this.list())
      .filter((t) => t.decision?.ticket === 'accepted' && t.repoRoot === ticket.repoRoot && !sameTicket(t, ticket))
      .map((t) => ({ ticketId: t.ticketId, batchId: t.batchId, branch: t.branch }));
    let outcome: AcceptOutcome;
    try {
      outcome = await acceptTicket(this.git, ticket, others, { confirmOverlaps });
    } catch (error) {
      if (error instanceof MergeConflictError || error instanceof LocalChangesBlockMergeError) return refused(error.message, error.files);
      throw error;
    }
    if (outcome.kind === 'cancelled') return outcome;
    await this.record(ticket, { ticket: 'accepted', into: outcome.into });
    this.logger.info(`Accepted ${ticket.ticketId} (batch ${ticket.batchId}): ${describeMerge(outcome)}`);
    return { ...outcome, ...(await this.finishAccepted(ticket, outcome.kind === 'merged' ? outcome.commit : null)) };
  }

  /**
   * The steps after the merge. Neither can undo it, so a problem is logged and reported beside the
   * outcome rather than thrown: the ticket stays accepted.
   */
  private async finishAccepted(ticket: ReviewableTicket, mergeCommit: string | null = null): Promise<AcceptFollowUp> {
    const problems: string[] = [];
    let ticketFile: string | null = null;
    try {
      const folder = this.options.ticketsFolder?.(ticket.repoRoot) ?? join(ticket.repoRoot, settingsShape['tickets.folder'].parse(undefined));
      const file = (await loadTickets(folder)).tickets.find((t) => t.id === ticket.ticketId)?.file;
      if (file === undefined) problems.push(`no ticket file with id ${ticket.ticketId} in ${folder}, so no status was set`);
      else {
        const foldIn = mergeCommit !== null && (await this.canFoldIntoMerge(ticket.repoRoot, file, mergeCommit));
        await setTicketStatus(file, 'done');
        ticketFile = file;
        // The status line rides in Flotilla's own merge commit, so accepting leaves a clean tree.
        if (foldIn) await this.git.run(ticket.repoRoot, ['commit', '--amend', '--no-edit', '--no-verify', '--quiet', '--only', '--', file]);
      }
    } catch (error) {
      problems.push(`the ticket file's status could not be set: ${errorMessage(error)}`);
    }
    let cleanedUp = false;
    try {
      await removeTicketWorktree(this.git, ticket.repoRoot, { path: ticket.worktree, branch: ticket.branch }, { deleteBranch: true });
      cleanedUp = true;
    } catch (error) {
      problems.push(`its worktree ${ticket.worktree} or branch ${ticket.branch} could not be removed: ${errorMessage(error)}`);
    }
    for (const problem of problems) this.logger.warn(`Accepted ${ticket.ticketId}, but ${problem}`);
    if (cleanedUp) this.logger.info(`Accepted ${ticket.ticketId}: worktree and branch ${ticket.branch} removed; transcript, review and costs kept`);
    return { ticketFile, cleanedUp, followUpProblems: problems };
  }

  /**
   * Only when HEAD is the merge just made and the file is tracked with no change of the user's in it:
   * amending with --only then adds exactly the status line, never anything the user staged.
   */
  private async canFoldIntoMerge(repoRoot: string, file: string, mergeCommit: string): Promise<boolean> {
    const head = await this.git.run(repoRoot, ['rev-parse', 'HEAD']);
    if (head.stdout.trim() !== mergeCommit) return false;
    const tracked = await this.git.run(repoRoot, ['ls-files', '--error-unmatch', '--', file], { okExitCodes: [1] });
    if (tracked.exitCode !== 0) return false;
    const changed = await this.git.run(repoRoot, ['status', '--porcelain', '--', file]);
    return changed.stdout.trim() === '';
  }

  private async branchExists(ticket: ReviewableTicket): Promise<boolean> {
    const out = await this.git.run(ticket.repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${ticket.branch}`], { okExitCodes: [1] });
    return out.exitCode === 0;
  }

  /** Removes the worktree and the branch; the transcript, the review and the costs stay in storage. */
  async reject(ticket: ReviewableTicket): Promise<void> {
    await removeTicketWorktree(this.git, ticket.repoRoot, { path: ticket.worktree, branch: ticket.branch }, { deleteBranch: true });
    await this.record(ticket, { ticket: 'rejected' });
    this.logger.info(`Rejected ${ticket.ticketId} (batch ${ticket.batchId}): worktree and branch ${ticket.branch} removed`);
  }

  async acceptFile(ticket: ReviewableTicket, file: ChangedFile): Promise<FileDecisionOutcome> {
    let outcome: FileAcceptOutcome;
    try {
      outcome = await acceptFileChange(this.git, ticket.repoRoot, { baseCommit: ticket.baseCommit, branch: ticket.branch, path: file.path, ticketId: ticket.ticketId });
    } catch (error) {
      if (error instanceof LocalFileChangesError) return refused(error.message, [error.file]);
      if (error instanceof FileMergeConflictError) return refused(error.message, error.files);
      throw error;
    }
    await this.record(ticket, { file: { path: file.path, decision: 'accepted' } });
    return outcome;
  }

  /** Reverts one file on the ticket branch with a commit in its worktree; null when it already matched the base. */
  async rejectFile(ticket: ReviewableTicket, file: ChangedFile): Promise<string | null> {
    if (!(await isDirectory(ticket.worktree))) throw new WorktreeMissingError(ticket.ticketId, ticket.worktree);
    const commit = await rejectFileChange(this.git, ticket.worktree, { baseCommit: ticket.baseCommit, branch: ticket.branch, path: file.path, ticketId: ticket.ticketId, ...(file.oldPath ? { oldPath: file.oldPath } : {}) });
    await this.record(ticket, { file: { path: file.path, decision: 'rejected' } });
    return commit;
  }

  private record(ticket: ReviewableTicket, change: DecisionChange): Promise<void> {
    return recordDecision(this.store, ticket.batchId, ticket.ticketId, change);
  }
}

export function sameTicket(a: ReviewableTicket, b: ReviewableTicket): boolean {
  return a.batchId === b.batchId && a.ticketId === b.ticketId;
}

export function describeMerge(outcome: MergeOutcome): string {
  return outcome.kind === 'merged' ? `merge commit ${outcome.commit.slice(0, 12)} on ${outcome.into}` : `already part of ${outcome.into}`;
}

function refused(message: string, files: readonly string[]): RefusedOutcome {
  return { kind: 'refused', message, files };
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
