import { storageCodeInMessage } from '../fsFailure';

/** Base class so callers can catch every git failure in one clause and still tell them apart. */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The `git` executable was not found; Flotilla needs it for worktrees, diffs and merges. */
export class GitMissingError extends GitError {
  constructor(readonly gitPath: string) {
    super(`git was not found (tried "${gitPath}"). Install git and make sure it is on PATH.`);
  }
}

export class NotAGitRepositoryError extends GitError {
  constructor(readonly folder: string) {
    super(`${folder} is not inside a git repository. Flotilla runs each ticket in a git worktree; run "git init" and commit first.`);
  }
}

/** HEAD points at a commit, not a branch: there is no branch to start from or merge into. */
export class DetachedHeadError extends GitError {
  constructor(readonly folder: string, readonly commit: string) {
    super(`HEAD in ${folder} is detached at ${commit.slice(0, 12)}. Check out a branch first.`);
  }
}

/** The current branch has no commit yet, so there is nothing to base a worktree on. */
export class UnbornHeadError extends GitError {
  constructor(readonly folder: string, readonly branch: string) {
    super(`The branch "${branch}" in ${folder} has no commits yet. Make a first commit before running tickets.`);
  }
}

/** How much of git's stderr an error keeps: the end holds the reason. */
const STDERR_TAIL_CHARS = 2000;

export class GitCommandError extends GitError {
  readonly stderrTail: string;
  /**
   * The system's code when git failed because the disk is full or read-only (its message says so),
   * with the path it names (or the command's), so callers read it as they read a Node errno error.
   */
  readonly code?: string;
  readonly path?: string;

  constructor(readonly args: readonly string[], readonly exitCode: number | null, stderr: string, readonly cwd: string) {
    const tail = stderr.trim().slice(-STDERR_TAIL_CHARS);
    super(`git ${args.join(' ')} failed${exitCode === null ? '' : ` (exit ${exitCode})`} in ${cwd}${tail ? `: ${tail}` : ''}`);
    this.stderrTail = tail;
    const code = storageCodeInMessage(tail);
    if (code !== undefined) {
      this.code = code;
      // git names the file it could not write ('…'); else the folder the command was given, else where it ran.
      this.path = /'(\/[^']+)'/.exec(tail)?.[1] ?? args.find((a) => a.startsWith('/')) ?? cwd;
    }
  }
}

/** A git call was cancelled through its AbortSignal (or timed out); its process group was killed. */
export class GitCancelledError extends GitError {
  constructor(readonly args: readonly string[], readonly reason: 'aborted' | 'timeout') {
    super(`git ${args.join(' ')} was ${reason === 'aborted' ? 'cancelled' : 'stopped after its time limit'}`);
  }
}

export interface ConflictedFile {
  readonly path: string;
  /** git's conflict kinds for this file, e.g. "CONFLICT (contents)", "CONFLICT (modify/delete)". */
  readonly kinds: readonly string[];
}

/** Merging would conflict; nothing was changed. */
export class MergeConflictError extends GitError {
  readonly files: readonly string[];
  constructor(readonly branch: string, readonly into: string, readonly conflicts: readonly ConflictedFile[]) {
    super(`Merging ${branch} into ${into} would conflict in ${conflicts.length} file(s): ${conflicts.map((c) => c.path).join(', ')}. Nothing was changed.`);
    this.files = conflicts.map((c) => c.path);
  }
}

/** Uncommitted changes in the user's tree touch files the merge would change; nothing was changed. */
export class LocalChangesBlockMergeError extends GitError {
  constructor(readonly branch: string, readonly files: readonly string[]) {
    super(`Merging ${branch} would overwrite uncommitted changes in: ${files.join(', ')}. Commit or stash them first; nothing was changed.`);
  }
}

/** A batch or ticket id cannot be part of a branch name (git's ref rules). */
export class InvalidBranchNameError extends GitError {
  constructor(readonly part: string, reason: string) {
    super(`"${part}" cannot be used in a branch name: ${reason}`);
  }
}
