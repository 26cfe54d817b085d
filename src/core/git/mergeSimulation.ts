import type { GitCallOptions, GitClient } from './gitClient';
import { DetachedHeadError, LocalChangesBlockMergeError, MergeConflictError, UnbornHeadError, type ConflictedFile } from './gitErrors';
import { headState, workingTreeChanges } from './repository';

export type MergeSimulation =
  | { readonly clean: true; readonly tree: string }
  | { readonly clean: false; readonly tree: string; readonly conflicts: readonly ConflictedFile[] };

/**
 * What merging `theirs` into `ours` would produce, computed in the object database only
 * (`git merge-tree --write-tree`, git ≥ 2.38): no working tree, index or ref is touched.
 */
export async function simulateMerge(git: GitClient, repoRoot: string, ours: string, theirs: string, call?: GitCallOptions): Promise<MergeSimulation> {
  const out = await git.run(repoRoot, ['merge-tree', '--write-tree', '-z', '--name-only', ours, theirs], { ...call, okExitCodes: [1] });
  return parseMergeTree(out.stdout, out.exitCode === 0);
}

/**
 * `merge-tree --write-tree -z --name-only` prints `tree\0`, then (on conflict) `path\0`… and an empty
 * field, then messages as `count\0path\0…\0kind\0text\0`.
 */
export function parseMergeTree(output: string, clean: boolean): MergeSimulation {
  const fields = output.split('\0');
  const tree = fields[0] ?? '';
  if (clean) return { clean: true, tree };
  const paths: string[] = [];
  let i = 1;
  for (; i < fields.length && fields[i] !== ''; i++) {
    const path = fields[i] ?? '';
    if (!paths.includes(path)) paths.push(path);
  }
  const kinds = new Map<string, string[]>(paths.map((p) => [p, []]));
  i++;
  while (i < fields.length) {
    const count = Number(fields[i]);
    if (!Number.isInteger(count) || count < 0) break;
    const messagePaths = fields.slice(i + 1, i + 1 + count);
    const kind = fields[i + 1 + count] ?? '';
    i += count + 3;
    if (!kind.startsWith('CONFLICT')) continue;
    for (const path of messagePaths) {
      const list = kinds.get(path);
      if (list && !list.includes(kind)) list.push(kind);
    }
  }
  return { clean: false, tree, conflicts: paths.map((path) => ({ path, kinds: kinds.get(path) ?? [] })) };
}

/** `branchTip`: the ticket branch's commit that was merged (or found already merged). */
export type MergeOutcome =
  | { readonly kind: 'merged'; readonly commit: string; readonly into: string; readonly branchTip: string }
  | { readonly kind: 'alreadyMerged'; readonly into: string; readonly branchTip: string };

/**
 * Merges a ticket branch into the user's current branch without ever risking the user's work:
 * the merge is computed with merge-tree first (conflicts → MergeConflictError naming the files,
 * nothing touched), the merge commit is built from that tree, uncommitted changes to any file the
 * merge changes are refused up front (LocalChangesBlockMergeError), and only then is the branch
 * fast-forwarded — which git itself also refuses if it would overwrite local edits.
 */
export async function mergeTicketBranch(git: GitClient, repoRoot: string, branch: string, message: string, call?: GitCallOptions): Promise<MergeOutcome> {
  const head = await headState(git, repoRoot, call);
  if (head.kind === 'detached') throw new DetachedHeadError(repoRoot, head.commit);
  if (head.kind === 'unborn') throw new UnbornHeadError(repoRoot, head.branch);
  const theirs = await git.value(repoRoot, ['rev-parse', '--verify', `refs/heads/${branch}^{commit}`], call);

  const ancestor = await git.run(repoRoot, ['merge-base', '--is-ancestor', theirs, head.commit], { ...call, okExitCodes: [1] });
  if (ancestor.exitCode === 0) return { kind: 'alreadyMerged', into: head.branch, branchTip: theirs };

  const simulation = await simulateMerge(git, repoRoot, head.commit, theirs, call);
  if (!simulation.clean) throw new MergeConflictError(branch, head.branch, simulation.conflicts);

  const changedByMerge = (await git.run(repoRoot, ['diff', '--no-ext-diff', '--no-textconv', '--no-renames', '--name-only', '-z', head.commit, simulation.tree], call)).stdout.split('\0').filter(Boolean);
  const local = await workingTreeChanges(git, repoRoot, call);
  const touched = new Set(changedByMerge);
  const blocked = local.filter((e) => touched.has(e.path) || (e.originalPath !== undefined && touched.has(e.originalPath))).map((e) => e.path);
  if (blocked.length > 0) throw new LocalChangesBlockMergeError(branch, blocked);

  const commit = await git.value(repoRoot, ['commit-tree', simulation.tree, '-p', head.commit, '-p', theirs, '-F', '-'], { ...call, input: message });
  await git.run(repoRoot, ['merge', '--ff-only', '--no-edit', '--quiet', commit], call);
  return { kind: 'merged', commit, into: head.branch, branchTip: theirs };
}
