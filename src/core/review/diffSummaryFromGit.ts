import { diffWithCounts, type DiffRange, type DiffWithCounts, type NameStatusEntry, type NumstatEntry } from '../git/diff';
import type { GitCallOptions, GitClient } from '../git/gitClient';
import type { DiffFileChange, DiffSummary } from './diffSummary';

/** Reads a ticket's change from its worktree: the three git views the review needs, from one git call. */
export async function diffSummaryFromGit(git: GitClient, worktree: string, range: DiffRange, call?: GitCallOptions): Promise<DiffSummary> {
  return diffSummaryFromChanges(await diffWithCounts(git, worktree, range, 3, call));
}

/** The review's view of a change already read with diffWithCounts (3 lines of context). */
export function diffSummaryFromChanges({ statuses, counts, unified }: DiffWithCounts): DiffSummary {
  return { files: joinFileLists(statuses, counts), unified };
}

/** Name-status gives the kind of change, numstat the line counts; both list the same paths. */
export function joinFileLists(statuses: readonly NameStatusEntry[], counts: readonly NumstatEntry[]): DiffFileChange[] {
  const countByPath = new Map(counts.map((c) => [c.path, c]));
  return statuses.map((entry) => {
    const count = countByPath.get(entry.path);
    return {
      path: entry.path,
      ...(entry.oldPath === undefined ? {} : { oldPath: entry.oldPath }),
      status: entry.status,
      added: count ? count.added : 0,
      deleted: count ? count.deleted : 0,
    };
  });
}
