import type { GitCallOptions, GitClient } from './gitClient';
import { DetachedHeadError, UnbornHeadError } from './gitErrors';
import { parseStatusPorcelain, type StatusEntry } from './statusEntries';

export type HeadState =
  | { readonly kind: 'branch'; readonly branch: string; readonly commit: string }
  | { readonly kind: 'detached'; readonly commit: string }
  | { readonly kind: 'unborn'; readonly branch: string };

/** The top folder of the repository (or worktree) containing `folder`; NotAGitRepositoryError if none. */
export async function repositoryRoot(git: GitClient, folder: string, call?: GitCallOptions): Promise<string> {
  return git.value(folder, ['rev-parse', '--show-toplevel'], call);
}

export async function headState(git: GitClient, root: string, call?: GitCallOptions): Promise<HeadState> {
  const commit = await git.run(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { ...call, okExitCodes: [1] });
  const symbolic = await git.run(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { ...call, okExitCodes: [1] });
  const sha = commit.stdout.trim();
  const branch = symbolic.stdout.trim();
  if (symbolic.exitCode !== 0) return { kind: 'detached', commit: sha };
  if (commit.exitCode !== 0) return { kind: 'unborn', branch };
  return { kind: 'branch', branch, commit: sha };
}

export interface BaseCommit {
  readonly root: string;
  readonly branch: string;
  readonly commit: string;
  /** Uncommitted changes in the user's tree; they stay there and are not part of any ticket's worktree. */
  readonly uncommitted: readonly StatusEntry[];
}

/**
 * The commit every ticket of a batch starts from: the tip of the user's current branch. Throws
 * NotAGitRepositoryError, GitMissingError, DetachedHeadError or UnbornHeadError with a message the
 * user can act on.
 */
export async function resolveBaseCommit(git: GitClient, folder: string, call?: GitCallOptions): Promise<BaseCommit> {
  const root = await repositoryRoot(git, folder, call);
  const head = await headState(git, root, call);
  if (head.kind === 'detached') throw new DetachedHeadError(root, head.commit);
  if (head.kind === 'unborn') throw new UnbornHeadError(root, head.branch);
  const uncommitted = await workingTreeChanges(git, root, call);
  return { root, branch: head.branch, commit: head.commit, uncommitted };
}

/** Uncommitted changes, untracked files included, ignored files not. */
export async function workingTreeChanges(git: GitClient, root: string, call?: GitCallOptions): Promise<StatusEntry[]> {
  const out = await git.run(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all'], call);
  return parseStatusPorcelain(out.stdout);
}

/** A sentence for the UI when the user's tree has uncommitted changes a batch will not see; null when clean. */
export function uncommittedNotice(entries: readonly StatusEntry[]): string | null {
  if (entries.length === 0) return null;
  const shown = entries.slice(0, 5).map((e) => e.path).join(', ');
  const more = entries.length > 5 ? ` and ${entries.length - 5} more` : '';
  return `${entries.length} uncommitted change(s) (${shown}${more}) stay in your working tree: workers start from the last commit and will not see them.`;
}
