import type { GitCallOptions, GitClient } from '../git/gitClient';
import { DetachedHeadError, MergeConflictError, UnbornHeadError, type ConflictedFile } from '../git/gitErrors';
import { mergeTicketBranch, simulateMerge, type MergeOutcome } from '../git/mergeSimulation';
import { headState } from '../git/repository';

export interface AcceptTarget {
  readonly repoRoot: string;
  readonly batchId: string;
  readonly ticketId: string;
  readonly title: string;
  readonly branch: string;
}

/**
 * Another accepted ticket, by the commit of its branch that was merged (recorded at accept time: its
 * branch is deleted then). It matters when that commit is not part of the current branch — accepted
 * into another branch, or the current branch was reset.
 */
export interface AcceptedElsewhere {
  readonly ticketId: string;
  readonly batchId: string;
  readonly commit: string;
}

/** The ticket would merge cleanly into the current branch but conflicts with another accepted ticket. */
export interface OverlapWarning {
  readonly other: AcceptedElsewhere;
  readonly conflicts: readonly ConflictedFile[];
}

export type AcceptOutcome = MergeOutcome | { readonly kind: 'cancelled'; readonly warnings: readonly OverlapWarning[] };

export interface AcceptOptions {
  /** Asked only when there are warnings; false cancels before anything is written. */
  readonly confirmOverlaps: (warnings: readonly OverlapWarning[]) => Promise<boolean>;
  readonly call?: GitCallOptions;
}

/**
 * Accept = merge the ticket branch into the user's current branch, after simulating it first
 * (`git merge-tree --write-tree`, nothing written): a conflict with the current branch refuses with
 * the files named (MergeConflictError); a conflict with another accepted ticket that is not in the
 * current branch is a warning the user confirms. mergeTicketBranch then refuses again if the user's
 * uncommitted changes touch a file the merge changes.
 */
export async function acceptTicket(git: GitClient, target: AcceptTarget, others: readonly AcceptedElsewhere[], options: AcceptOptions): Promise<AcceptOutcome> {
  const { call } = options;
  const head = await headState(git, target.repoRoot, call);
  if (head.kind === 'detached') throw new DetachedHeadError(target.repoRoot, head.commit);
  if (head.kind === 'unborn') throw new UnbornHeadError(target.repoRoot, head.branch);
  const theirs = `refs/heads/${target.branch}`;

  const simulation = await simulateMerge(git, target.repoRoot, head.commit, theirs, call);
  if (!simulation.clean) throw new MergeConflictError(target.branch, head.branch, simulation.conflicts);

  const warnings: OverlapWarning[] = [];
  for (const other of others) {
    // A commit git no longer has (collected after its branch went) cannot be checked against.
    const exists = await git.run(target.repoRoot, ['cat-file', '-e', `${other.commit}^{commit}`], { ...call, okExitCodes: [1, 128] });
    if (exists.exitCode !== 0) continue;
    const merged = await git.run(target.repoRoot, ['merge-base', '--is-ancestor', other.commit, head.commit], { ...call, okExitCodes: [1] });
    if (merged.exitCode === 0) continue; // already part of the current branch: the first simulation covered it
    const withOther = await simulateMerge(git, target.repoRoot, other.commit, theirs, call);
    if (!withOther.clean) warnings.push({ other, conflicts: withOther.conflicts });
  }
  if (warnings.length > 0 && !(await options.confirmOverlaps(warnings))) return { kind: 'cancelled', warnings };

  const message = `Merge ${target.branch}: ${target.ticketId} ${target.title}\n\nAccepted in Flotilla review (batch ${target.batchId}).`;
  return mergeTicketBranch(git, target.repoRoot, target.branch, message, call);
}

export function describeOverlaps(warnings: readonly OverlapWarning[]): string {
  return warnings.map((w) => `${w.other.ticketId} (batch ${w.other.batchId}): ${w.conflicts.map((c) => c.path).join(', ')}`).join('; ');
}
