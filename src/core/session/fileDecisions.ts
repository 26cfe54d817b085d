import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommitAuthor } from '../git/commit';
import type { GitCallOptions, GitClient } from '../git/gitClient';
import { DetachedHeadError, UnbornHeadError } from '../git/gitErrors';
import { headState, workingTreeChanges } from '../git/repository';
import { FileMergeConflictError, LocalFileChangesError } from './reviewErrors';
import { blobAt, fileTextAt } from './ticketChanges';

export interface FileChangeRef {
  readonly baseCommit: string;
  readonly branch: string;
  readonly path: string;
  readonly ticketId: string;
}

export type FileAcceptOutcome = { readonly kind: 'committed'; readonly commit: string; readonly into: string } | { readonly kind: 'unchanged'; readonly into: string };

/**
 * Brings one file's change from a ticket branch into the user's current branch as its own commit.
 * Refuses (nothing written) when the user has uncommitted changes to that file, or when the branch
 * changed the same file in a way that does not merge cleanly. Other files — staged or not — are
 * left exactly as they are: only this path is written, staged and committed.
 */
export async function acceptFileChange(git: GitClient, repoRoot: string, ref: FileChangeRef, call?: GitCallOptions): Promise<FileAcceptOutcome> {
  const head = await headState(git, repoRoot, call);
  if (head.kind === 'detached') throw new DetachedHeadError(repoRoot, head.commit);
  if (head.kind === 'unborn') throw new UnbornHeadError(repoRoot, head.branch);
  const local = await workingTreeChanges(git, repoRoot, call);
  if (local.some((e) => e.path === ref.path || e.originalPath === ref.path)) throw new LocalFileChangesError(ref.path);

  const theirsRev = `refs/heads/${ref.branch}`;
  const [base, ours, theirs] = await Promise.all([blobAt(git, repoRoot, ref.baseCommit, ref.path, call), blobAt(git, repoRoot, head.commit, ref.path, call), blobAt(git, repoRoot, theirsRev, ref.path, call)]);
  if (ours === theirs) return { kind: 'unchanged', into: head.branch };

  if (ours === base) {
    // The current branch has not touched the file since the batch started: take the ticket's version.
    if (theirs === null) await git.run(repoRoot, ['rm', '--quiet', '--', ref.path], call);
    else await git.run(repoRoot, ['checkout', theirsRev, '--', ref.path], call);
  } else {
    if (base === null || ours === null || theirs === null) throw new FileMergeConflictError(ref.path, ref.branch);
    const merged = await mergeFileTexts(git, repoRoot, [ref.baseCommit, head.commit, theirsRev], ref.path, call);
    if (merged === null) throw new FileMergeConflictError(ref.path, ref.branch);
    await writeFile(join(repoRoot, ref.path), merged, 'utf8');
    await git.run(repoRoot, ['add', '--', ref.path], call);
  }
  const message = `Accept ${ref.path} from ${ref.branch} (${ref.ticketId})\n\nAccepted file by file in Flotilla review.`;
  // A path limits the commit to that file even when other changes are staged (git commit --only).
  await git.run(repoRoot, ['commit', '--no-verify', '--quiet', '--file=-', '--', ref.path], { ...call, input: message });
  return { kind: 'committed', commit: await git.value(repoRoot, ['rev-parse', 'HEAD'], call), into: head.branch };
}

/** A three-way text merge of one file, in a temporary folder; null when the changes overlap. */
async function mergeFileTexts(git: GitClient, repoRoot: string, [base, ours, theirs]: readonly [string, string, string], path: string, call?: GitCallOptions): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-merge-'));
  try {
    const files = { ours: join(dir, 'ours'), base: join(dir, 'base'), theirs: join(dir, 'theirs') };
    await Promise.all([
      writeFile(files.ours, await fileTextAt(git, repoRoot, ours, path, call)),
      writeFile(files.base, await fileTextAt(git, repoRoot, base, path, call)),
      writeFile(files.theirs, await fileTextAt(git, repoRoot, theirs, path, call)),
    ]);
    // Exit status: 0 clean, >0 number of conflicts, <0 (255 here) an error such as a binary file.
    const out = await git.run(repoRoot, ['merge-file', '-p', files.ours, files.base, files.theirs], { ...call, okExitCodes: Array.from({ length: 255 }, (_, i) => i + 1) });
    return out.exitCode === 0 ? out.stdout : null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const REVIEW_AUTHOR: CommitAuthor = { name: 'Flotilla', email: 'flotilla@localhost' };

/**
 * Drops one file's change from a ticket by restoring its base version in the ticket's worktree and
 * committing that on the ticket branch, so a later Accept no longer carries it. For a rename both
 * paths are restored. Returns the new commit, or null when the file already matched the base.
 */
export async function rejectFileChange(git: GitClient, worktree: string, ref: FileChangeRef & { readonly oldPath?: string }, call?: GitCallOptions): Promise<string | null> {
  const paths = ref.oldPath === undefined ? [ref.path] : [ref.path, ref.oldPath];
  for (const path of paths) {
    const inBase = (await blobAt(git, worktree, ref.baseCommit, path, call)) !== null;
    if (inBase) await git.run(worktree, ['checkout', ref.baseCommit, '--', path], call);
    else if ((await blobAt(git, worktree, 'HEAD', path, call)) !== null) await git.run(worktree, ['rm', '--quiet', '--force', '--', path], call);
  }
  const staged = await git.run(worktree, ['diff', '--no-ext-diff', '--no-textconv', '--cached', '--quiet', 'HEAD', '--', ...paths], { ...call, okExitCodes: [1] });
  if (staged.exitCode === 0) return null;
  const identity = ['-c', `user.name=${REVIEW_AUTHOR.name}`, '-c', `user.email=${REVIEW_AUTHOR.email}`];
  const message = `Reject the change to ${ref.path} (${ref.ticketId})\n\nRejected file by file in Flotilla review.`;
  await git.run(worktree, [...identity, 'commit', '--no-verify', '--quiet', '--file=-', '--', ...paths], { ...call, input: message });
  return git.value(worktree, ['rev-parse', 'HEAD'], call);
}
