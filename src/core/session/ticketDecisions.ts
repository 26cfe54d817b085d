import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { settingsShape } from '../settings/settingsSchema';
import { diffUnified } from '../git/diff';
import { GitClient } from '../git/gitClient';
import { errorMessage } from '../errorText';
import { LocalChangesBlockMergeError, MergeConflictError } from '../git/gitErrors';
import type { MergeOutcome } from '../git/mergeSimulation';
import { removeTicketWorktree } from '../git/worktrees';
import type { Logger } from '../logger';
import { BatchStateStore } from '../store/batchStateStore';
import { withDecisionLock, type DecisionLockOptions } from '../store/decisionLock';
import { markTicketDone, removeTicketWork } from './acceptFollowUp';
import { acceptTicket, type AcceptedElsewhere, type AcceptOutcome, type OverlapWarning } from './acceptTicket';
import { assertDecisionAllowed, DECISION_LABELS, type DecisionKind } from './decisionRules';
import { refuseUnacceptedDependencies } from './dependencyCheck';
import { acceptFileChange, rejectFileChange, type FileAcceptOutcome } from './fileDecisions';
import { recordDecision, type DecisionChange } from './reviewDecisions';
import { FileMergeConflictError, LocalFileChangesError, TicketNotReviewableError, WorktreeMissingError } from './reviewErrors';
import { listReviewableTickets, type ReviewableTicket } from './reviewableTickets';
import { ticketChangedFiles, type ChangedFile } from './ticketChanges';
import { commentOnAcceptedIssue, openTicketPullRequest, type GitHubAccess, type PullRequestOutcome } from './pullRequests';

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
  /** How long a decision waits for another one on the same batch, and who hears that it waits. */
  readonly decisionLock?: DecisionLockOptions;
  /** GitHub with the front end's token, for Open Pull Request and the comment on an accepted issue. */
  readonly github?: GitHubAccess;
}
export type FileDecisionOutcome = FileAcceptOutcome | RefusedOutcome;

/**
 * The decisions on a finished ticket, the same for the editor and the CLI: both read and write the
 * stored batch state (state.json `extra.reviewDecisions`), so a decision made in one front end shows
 * in the other. Git is the only other thing touched: the user's current branch on accept, the
 * ticket's worktree and branch on reject. Every decision runs under the batch's decision lock and
 * first checks, on the stored state as it is then, that it applies (decisionRules.ts).
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
   * and against the other accepted tickets' merged commits (a conflict with those is asked through
   * confirmOverlaps). Refused (DecisionNotAllowedError) when the ticket was decided already or its
   * branch carries a dependency that is not accepted; a conflict with the current branch or the
   * user's uncommitted changes is refused with the files named. Once merged the ticket is done: its
   * file says `status: done` (that value only) and its worktree and branch go (the transcript, the
   * review and the costs stay in storage).
   */
  accept(ticket: ReviewableTicket, confirmOverlaps: (warnings: readonly OverlapWarning[]) => Promise<boolean>): Promise<TicketAcceptOutcome> {
    return this.decide(ticket, 'accept', async (current, all) => {
      await refuseUnacceptedDependencies(this.git, current, all);
      let outcome: AcceptOutcome;
      try {
        outcome = await acceptTicket(this.git, current, acceptedElsewhere(current, all), { confirmOverlaps });
      } catch (error) {
        if (error instanceof MergeConflictError || error instanceof LocalChangesBlockMergeError) return refused(error.message, error.files);
        throw error;
      }
      if (outcome.kind === 'cancelled') return outcome;
      const done = await markTicketDone(this.git, current, this.ticketsFolder(current.repoRoot), outcome.kind === 'merged' ? outcome.commit : null);
      // The commit on the branch after the status line was folded in, not the merge commit it replaced.
      const merged: MergeOutcome = outcome.kind === 'merged' ? { ...outcome, commit: done.commit ?? outcome.commit } : outcome;
      await this.record(current, { ticket: 'accepted', into: merged.into, branchTip: merged.branchTip, ...(merged.kind === 'merged' ? { commit: merged.commit } : {}) });
      this.logger.info(`Accepted ${current.ticketId} (batch ${current.batchId}): ${describeMerge(merged)}`);
      const cleanup = await removeTicketWork(this.git, current);
      const problems = [...done.problems, ...cleanup.problems];
      for (const problem of problems) this.logger.warn(`Accepted ${current.ticketId}, but ${problem}`);
      if (cleanup.cleanedUp) this.logger.info(`Accepted ${current.ticketId}: worktree and branch ${current.branch} removed; transcript, review and costs kept`);
      return { ...merged, ticketFile: done.ticketFile, cleanedUp: cleanup.cleanedUp, followUpProblems: problems };
    });
  }

  /** Removes the worktree and the branch; the transcript, the review and the costs stay in storage. */
  reject(ticket: ReviewableTicket): Promise<void> {
    return this.decide(ticket, 'reject', async (current) => {
      await removeTicketWorktree(this.git, current.repoRoot, { path: current.worktree, branch: current.branch }, { deleteBranch: true });
      await this.record(current, { ticket: 'rejected' });
      this.logger.info(`Rejected ${current.ticketId} (batch ${current.batchId}): worktree and branch ${current.branch} removed`);
    });
  }

  acceptFile(ticket: ReviewableTicket, file: ChangedFile): Promise<FileDecisionOutcome> {
    return this.decide(ticket, 'acceptFile', async (current) => {
      let outcome: FileAcceptOutcome;
      try {
        outcome = await acceptFileChange(this.git, current.repoRoot, { baseCommit: current.baseCommit, branch: current.branch, path: file.path, ticketId: current.ticketId });
      } catch (error) {
        if (error instanceof LocalFileChangesError) return refused(error.message, [error.file]);
        if (error instanceof FileMergeConflictError) return refused(error.message, error.files);
        throw error;
      }
      await this.record(current, { file: { path: file.path, decision: 'accepted' } });
      return outcome;
    });
  }

  /** Reverts one file on the ticket branch with a commit in its worktree; null when it already matched the base. */
  rejectFile(ticket: ReviewableTicket, file: ChangedFile): Promise<string | null> {
    return this.decide(ticket, 'rejectFile', async (current) => {
      if (!(await isDirectory(current.worktree))) throw new WorktreeMissingError(current.ticketId, current.worktree);
      const commit = await rejectFileChange(this.git, current.worktree, { baseCommit: current.baseCommit, branch: current.branch, path: file.path, ticketId: current.ticketId, ...(file.oldPath ? { oldPath: file.oldPath } : {}) });
      await this.record(current, { file: { path: file.path, decision: 'rejected' } });
      return commit;
    });
  }

  /**
   * Open Pull Request: the ticket branch pushed to origin with the user's git credentials and a pull
   * request opened for it (pullRequests.ts); one already open is the answer, nothing written.
   */
  openPullRequest(ticket: ReviewableTicket): Promise<PullRequestOutcome> {
    const github = this.options.github;
    if (!github) throw new Error('TicketDecisions.openPullRequest needs the GitHub access of its front end');
    return this.decide(ticket, 'openPullRequest', (current) =>
      openTicketPullRequest({ store: this.store, storage: this.storage, git: this.git, pushGit: new GitClient({ remote: true }), github, logger: this.logger }, current),
    );
  }

  /**
   * The opt-in comment on the issue of an accepted ticket: summary, cost, merge commit. A failure is
   * returned as a problem, never thrown: the merge stands.
   */
  async commentOnAccept(ticket: ReviewableTicket, merge: { readonly into: string; readonly commit: string | null }): Promise<{ readonly url?: string; readonly problem?: string }> {
    if (!this.options.github || !ticket.issue) return {};
    try {
      const url = await commentOnAcceptedIssue(this.store, this.options.github, ticket, merge);
      return url === undefined ? {} : { url };
    } catch (error) {
      const problem = `the comment on issue #${ticket.issue.number} could not be posted: ${errorMessage(error)}`;
      this.logger.warn(`Accepted ${ticket.ticketId}, but ${problem}`);
      return { problem };
    }
  }

  /**
   * One decision at a time per batch, across processes: under the lock the ticket is read again from
   * storage (another process may have decided it meanwhile) and the decision checked against its state.
   */
  private decide<T>(ticket: ReviewableTicket, kind: DecisionKind, act: (current: ReviewableTicket, all: readonly ReviewableTicket[]) => Promise<T>): Promise<T> {
    return withDecisionLock(
      this.storage,
      ticket.batchId,
      `${DECISION_LABELS[kind]} ${ticket.ticketId}`,
      async () => {
        const all = await this.list();
        const current = all.find((t) => sameTicket(t, ticket)) ?? ticket;
        assertDecisionAllowed(current, kind);
        return act(current, all);
      },
      this.options.decisionLock,
    );
  }

  private ticketsFolder(repoRoot: string): string {
    return this.options.ticketsFolder?.(repoRoot) ?? join(repoRoot, settingsShape['tickets.folder'].parse(undefined));
  }

  private record(ticket: ReviewableTicket, change: DecisionChange): Promise<void> {
    return recordDecision(this.store, ticket.batchId, ticket.ticketId, change);
  }
}

/** The other accepted tickets of this repository, each by the commit of its branch that was merged. */
function acceptedElsewhere(ticket: ReviewableTicket, all: readonly ReviewableTicket[]): AcceptedElsewhere[] {
  return all.flatMap((t) => {
    if (t.decision?.ticket !== 'accepted' || t.repoRoot !== ticket.repoRoot || sameTicket(t, ticket)) return [];
    // Accepted before the branch tip was recorded: the ticket's last recorded commit is the best left.
    const commit = t.decision.branchTip ?? t.commit;
    return commit === null ? [] : [{ ticketId: t.ticketId, batchId: t.batchId, commit }];
  });
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
