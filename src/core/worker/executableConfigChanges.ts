import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitCallOptions, GitClient } from '../git/gitClient';
import { parseStatusPorcelain } from '../git/statusEntries';
import { executableConfigReason, type WriteConfinement } from './writeConfinement';

/** A change to executable configuration that was taken out of a ticket's result. */
export interface DroppedConfigChange {
  readonly path: string;
  readonly reason: string;
}

/**
 * Takes every uncommitted change to executable configuration (`.claude/`, `.mcp.json`, git hooks
 * folders — writeConfinement.ts) out of a ticket's worktree before its result is committed: tracked
 * files go back to HEAD, new ones are removed. The write tools already refuse these paths, so such a
 * change came from a command or a gate running the model's code; committed, it would reach the
 * user's repository on accept, where their next `claude` or `git commit` would run it.
 */
export async function dropExecutableConfigChanges(git: GitClient, worktree: string, confinement: WriteConfinement, call?: GitCallOptions): Promise<DroppedConfigChange[]> {
  const status = await git.run(worktree, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], call);
  const dropped: DroppedConfigChange[] = [];
  const restore: string[] = [];
  const remove: string[] = [];
  for (const entry of parseStatusPorcelain(status.stdout)) {
    const reason = await executableConfigReason(worktree, entry.path, confinement);
    if (reason === undefined) continue;
    dropped.push({ path: entry.path, reason });
    (entry.kind === 'untracked' || entry.kind === 'added' ? remove : restore).push(entry.path);
  }
  // `:(literal)` so a file named like a glob restores only itself.
  if (restore.length > 0) await git.run(worktree, ['restore', '--source=HEAD', '--staged', '--worktree', '--', ...restore.map((p) => `:(literal)${p}`)], call);
  if (remove.length > 0) {
    await git.run(worktree, ['rm', '--cached', '--quiet', '--ignore-unmatch', '--', ...remove.map((p) => `:(literal)${p}`)], call);
    // rm without recursion into links: a symbolic link is removed itself, never what it points at.
    for (const path of remove) await rm(join(worktree, path), { force: true });
  }
  return dropped;
}
