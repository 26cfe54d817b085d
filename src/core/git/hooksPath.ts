import type { GitCallOptions, GitClient } from './gitClient';

/**
 * The `core.hooksPath` the repository's own config files name (local, worktree, global or system
 * scope), or null when none does. Flotilla's git calls override it on their command line (no hooks
 * run), so the override is skipped here: what matters is the folder the user's own `git commit` will
 * run hooks from after a ticket is merged, which a worker must therefore not write.
 */
export async function configuredHooksPath(git: GitClient, worktree: string, call?: GitCallOptions): Promise<string | null> {
  const out = await git.run(worktree, ['config', '--show-scope', '--get-all', 'core.hooksPath'], { ...call, okExitCodes: [1] });
  const values = out.stdout
    .split('\n')
    .map((line) => /^(\w+)\t(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[1] !== 'command')
    .map((m) => m[2] ?? '');
  // The last one wins, as git reads them.
  return values.at(-1) || null;
}
