import { GitError } from '../git/gitErrors';

/** The user has uncommitted changes to the file a per-file accept would write; nothing was changed. */
export class LocalFileChangesError extends GitError {
  constructor(readonly file: string) {
    super(`${file} has uncommitted changes in your working tree. Commit or stash them before accepting this file; nothing was changed.`);
  }
}

/** The file changed on the current branch too and the two changes overlap; nothing was changed. */
export class FileMergeConflictError extends GitError {
  readonly files: readonly string[];
  constructor(readonly file: string, readonly branch: string) {
    super(`Accepting ${file} from ${branch} would conflict with your branch's changes to it. Nothing was changed; accept the whole ticket or merge it by hand.`);
    this.files = [file];
  }
}

/** The ticket's worktree is gone (rejected, or storage cleared), so its files cannot be changed there. */
export class WorktreeMissingError extends GitError {
  constructor(readonly ticketId: string, readonly path: string) {
    super(`The worktree of ${ticketId} (${path}) no longer exists; its files cannot be rejected one by one.`);
  }
}

/** Request Changes needs the batch engine to run a fix loop, and this window has none. */
export class NoBatchEngineError extends Error {
  constructor() {
    super('Request Changes needs the Flotilla batch engine to run a fix loop, and it is not available in this window. Your feedback was not sent.');
    this.name = 'NoBatchEngineError';
  }
}

/** No finished ticket matches what the command was asked to review. */
export class TicketNotReviewableError extends Error {
  constructor(readonly ticketId: string, readonly batchId: string | undefined) {
    super(`No finished ticket ${ticketId}${batchId ? ` in batch ${batchId}` : ''} with a branch to review.`);
    this.name = 'TicketNotReviewableError';
  }
}
