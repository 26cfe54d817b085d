import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ticketBranchName } from './branchNames';
import type { GitCallOptions, GitClient } from './gitClient';
import type { StatusEntry } from './statusEntries';

export interface WorktreeEntry {
  readonly path: string;
  /** Null for a detached worktree. */
  readonly branch: string | null;
  readonly head: string | null;
  /** git marks a worktree prunable when its folder is gone. */
  readonly prunable: boolean;
  readonly locked: boolean;
}

/** `<storage>/worktrees/<batch>/<ticket>`, the layout ARCHITECTURE.md gives for workspace storage. */
export function ticketWorktreePath(storageDir: string, batchId: string, ticketId: string): string {
  return join(resolve(storageDir), 'worktrees', batchId, ticketId);
}

export async function listWorktrees(git: GitClient, repoRoot: string, call?: GitCallOptions): Promise<WorktreeEntry[]> {
  const out = await git.run(repoRoot, ['worktree', 'list', '--porcelain'], call);
  return parseWorktreeList(out.stdout);
}

/** Parses `git worktree list --porcelain`: blocks of `key value` lines separated by blank lines. */
export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of output.split(/\n\n+/)) {
    const lines = block.split('\n').filter((l) => l.length > 0);
    const path = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length);
    if (path === undefined) continue;
    const branchRef = lines.find((l) => l.startsWith('branch '))?.slice('branch '.length) ?? null;
    entries.push({
      path,
      branch: branchRef?.replace(/^refs\/heads\//, '') ?? null,
      head: lines.find((l) => l.startsWith('HEAD '))?.slice('HEAD '.length) ?? null,
      prunable: lines.some((l) => l === 'prunable' || l.startsWith('prunable ')),
      locked: lines.some((l) => l === 'locked' || l.startsWith('locked ')),
    });
  }
  return entries;
}

export interface TicketWorktreeRequest {
  readonly repoRoot: string;
  readonly storageDir: string;
  readonly batchId: string;
  readonly ticketId: string;
  readonly baseCommit: string;
  /** What `resolveBaseCommit` found; echoed back so the caller can tell the user it was left behind. */
  readonly uncommitted?: readonly StatusEntry[];
}

export interface TicketWorktree {
  readonly path: string;
  readonly branch: string;
  readonly baseCommit: string;
  /** True when an existing worktree or branch (an interrupted batch) was picked up instead of created. */
  readonly resumed: boolean;
  readonly leftBehind: readonly StatusEntry[];
}

/**
 * Creates (or, on resume, reattaches) the ticket's worktree on branch `flotilla/<batch>/<ticket>`.
 * The worktree is checked out from the base commit, so uncommitted changes in the user's tree are
 * never carried over; they are returned in `leftBehind` for the UI to mention.
 */
export async function addTicketWorktree(git: GitClient, request: TicketWorktreeRequest, call?: GitCallOptions): Promise<TicketWorktree> {
  const branch = ticketBranchName(request.batchId, request.ticketId);
  const path = ticketWorktreePath(request.storageDir, request.batchId, request.ticketId);
  const base = { path, branch, baseCommit: request.baseCommit, leftBehind: request.uncommitted ?? [] };

  const existing = (await listWorktrees(git, request.repoRoot, call)).find((w) => w.branch === branch);
  if (existing && !existing.prunable && (await isDirectory(existing.path))) return { ...base, path: existing.path, resumed: true };
  // A record whose folder vanished would make git refuse the branch as "already checked out".
  if (existing) await git.run(request.repoRoot, ['worktree', 'prune'], call);

  await mkdir(dirname(path), { recursive: true });
  const branchExists = (await git.run(request.repoRoot, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { ...call, okExitCodes: [1] })).exitCode === 0;
  if (branchExists) {
    await git.run(request.repoRoot, ['worktree', 'add', path, branch], call);
    return { ...base, resumed: true };
  }
  try {
    await git.run(request.repoRoot, ['worktree', 'add', '-b', branch, path, request.baseCommit], call);
  } catch (error) {
    // A cancelled or failed add can leave a half checkout, a record or the new branch behind; undo
    // all three (without the caller's signal, which may be the one that fired) so a retry starts clean.
    await removeTicketWorktree(git, request.repoRoot, { path, branch }, { deleteBranch: true }).catch(() => undefined);
    throw error;
  }
  return { ...base, resumed: false };
}

export interface RemoveWorktreeOptions {
  /** Also delete the branch (a rejected ticket); keep it for accepted or unreviewed work. */
  readonly deleteBranch?: boolean;
}

/** Removes a ticket's worktree folder and git's record of it, even if the folder is already gone. */
export async function removeTicketWorktree(git: GitClient, repoRoot: string, worktree: { path: string; branch: string }, options: RemoveWorktreeOptions = {}, call?: GitCallOptions): Promise<void> {
  if (await isDirectory(worktree.path)) {
    // --force: the agent's uncommitted edits are part of what is being thrown away.
    await git.run(repoRoot, ['worktree', 'remove', '--force', worktree.path], call);
  } else {
    await git.run(repoRoot, ['worktree', 'prune'], call);
  }
  if (options.deleteBranch) {
    await git.run(repoRoot, ['branch', '-D', worktree.branch], { ...call, okExitCodes: [1] });
  }
}

/**
 * Forgets worktrees whose folders are gone (a crash, a cleared storage folder) so their branches can
 * be checked out again. Returns the paths that were pruned. Folders are never deleted here: a
 * storage folder may be shared by several repositories.
 */
export async function cleanupStaleWorktrees(git: GitClient, repoRoot: string, call?: GitCallOptions): Promise<string[]> {
  const before = await listWorktrees(git, repoRoot, call);
  const stale: string[] = [];
  for (const entry of before) {
    if (!entry.locked && !(await isDirectory(entry.path))) stale.push(entry.path);
  }
  await git.run(repoRoot, ['worktree', 'prune'], call);
  return stale;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
