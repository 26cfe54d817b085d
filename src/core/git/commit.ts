import type { GitCallOptions, GitClient } from './gitClient';

export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

/**
 * Stages everything in a ticket's worktree (new files included, ignored files not) and commits it.
 * Returns the new commit, or null when there was nothing to commit. Hooks are skipped (--no-verify):
 * Flotilla's own gates check the result, and a user's interactive hook would hang a worker.
 */
export async function commitAll(git: GitClient, worktree: string, message: string, author?: CommitAuthor, call?: GitCallOptions): Promise<string | null> {
  await git.run(worktree, ['add', '--all'], call);
  const staged = await git.run(worktree, ['diff', '--no-ext-diff', '--no-textconv', '--cached', '--quiet'], { ...call, okExitCodes: [1] });
  if (staged.exitCode === 0) return null;
  const identity = author ? ['-c', `user.name=${author.name}`, '-c', `user.email=${author.email}`] : [];
  // The message goes through stdin so no length or character in it can be mistaken for an option.
  await git.run(worktree, [...identity, 'commit', '--no-verify', '--quiet', '--file=-'], { ...call, input: message });
  return git.value(worktree, ['rev-parse', 'HEAD'], call);
}
