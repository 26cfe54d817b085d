import { diffNameStatus, type ChangeStatus } from '../git/diff';
import type { GitCallOptions, GitClient } from '../git/gitClient';

export interface ChangedFile {
  readonly path: string;
  /** The source of a rename or copy. */
  readonly oldPath?: string;
  readonly status: ChangeStatus;
}

/** The files a ticket branch changes relative to its batch's base commit (what the review shows). */
export async function ticketChangedFiles(git: GitClient, repoRoot: string, baseCommit: string, branch: string, call?: GitCallOptions): Promise<ChangedFile[]> {
  const entries = await diffNameStatus(git, repoRoot, { from: baseCommit, to: `refs/heads/${branch}` }, call);
  return entries.map((e) => ({ path: e.path, status: e.status, ...(e.oldPath === undefined ? {} : { oldPath: e.oldPath }) }));
}

/** The blob id of `path` at `rev`, or null when the file does not exist there. */
export async function blobAt(git: GitClient, repoRoot: string, rev: string, path: string, call?: GitCallOptions): Promise<string | null> {
  const out = await git.run(repoRoot, ['rev-parse', '--verify', '--quiet', `${rev}:${path}`], { ...call, okExitCodes: [1, 128] });
  return out.exitCode === 0 ? out.stdout.trim() : null;
}

/** The text of `path` at `rev`; empty when it does not exist there (an added or deleted file's other side). */
export async function fileTextAt(git: GitClient, repoRoot: string, rev: string, path: string, call?: GitCallOptions): Promise<string> {
  const out = await git.run(repoRoot, ['show', `${rev}:${path}`], { ...call, okExitCodes: [128] });
  return out.exitCode === 0 ? out.stdout : '';
}
