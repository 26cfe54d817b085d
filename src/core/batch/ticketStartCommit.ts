import type { GitClient } from '../git/gitClient';
import { MergeConflictError } from '../git/gitErrors';
import { simulateMerge } from '../git/mergeSimulation';

/**
 * The commit a ticket's worktree starts from. A ticket that depends on others builds on their work:
 * one dependency → its commit; several → a merge of their commits made in the object database only
 * (no checkout is touched). A ticket without dependencies in the batch starts from the base commit.
 * Throws MergeConflictError when the dependencies' changes conflict with each other.
 */
export async function ticketStartCommit(git: GitClient, repoRoot: string, baseCommit: string, dependencyCommits: readonly string[], ticketId: string): Promise<string> {
  const [first, ...rest] = [...new Set(dependencyCommits)];
  if (first === undefined) return baseCommit;
  let start = first;
  for (const next of rest) {
    const merge = await simulateMerge(git, repoRoot, start, next);
    if (!merge.clean) throw new MergeConflictError(next, start, merge.conflicts);
    start = await git.value(repoRoot, ['commit-tree', merge.tree, '-p', start, '-p', next, '-m', `Flotilla: dependencies of ${ticketId}`]);
  }
  return start;
}
