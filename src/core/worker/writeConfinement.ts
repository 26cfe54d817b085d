import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { confinePath, PathRefusedError, type ConfinedPath } from './pathConfinement';

/**
 * Files in a repository that make tools run programs without anyone running them by hand: Claude
 * Code's project configuration (`.claude/`: settings with hooks, skills, agents, commands — at any
 * depth, as Claude Code finds nested ones), MCP server lists (`.mcp.json`), git hooks folders
 * (`.husky/`, and the folder the repository's `core.hooksPath` names). A worker never writes them:
 * its change is merged into the user's repository, where the next `claude` or `git commit` would run
 * what the model put there. Flotilla itself never loads them from a worktree (the Claude Code engine
 * takes its configuration from the base commit), so this is the second wall, not the only one.
 * CLAUDE.md stays writable: it is instructions, not configuration that runs, and tickets edit it.
 */
const PROTECTED_FOLDERS: Readonly<Record<string, string>> = {
  '.claude': "Claude Code's configuration (.claude/: settings, hooks, skills, agents, commands) decides what runs",
  '.husky': 'git hooks (.husky/) run on the next commit',
};
const PROTECTED_FILES: Readonly<Record<string, string>> = {
  '.mcp.json': '.mcp.json starts MCP servers',
};

export interface WriteConfinement {
  /** The repository's `core.hooksPath` as configured (relative to the worktree root, or absolute), if any. */
  readonly hooksPath?: string | null;
}

/**
 * confinePath for a file the model wants to write (write_file, edit_file, Claude Code's Write, Edit,
 * MultiEdit, NotebookEdit): inside the worktree, and not executable configuration — checked on the
 * path as asked and on where it really leads, so a symbolic link to `.claude` (or a folder whose
 * parent is one) is refused too. The one write rule for every engine.
 */
export async function confineWritePath(root: string, requested: string, confinement: WriteConfinement = {}): Promise<ConfinedPath> {
  const target = await confinePath(root, requested);
  const hooks = await hooksSegments(root, confinement.hooksPath);
  const asked = requested.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const resolved = target.relative === '.' ? [] : target.relative.split('/');
  for (const segments of [asked, resolved]) {
    const reason = protectedReason(segments, hooks);
    if (reason !== undefined) {
      throw new PathRefusedError(requested, `${reason}, so a worker may not write it${segments === resolved && resolved.join('/') !== asked.join('/') ? ` (it leads to ${target.relative} through a symbolic link)` : ''}. Change other files; say in your summary what the configuration would need.`);
    }
  }
  return target;
}

/**
 * Why a worktree-relative path (as git reports it, `/`-separated) is executable configuration, or
 * undefined when it is not: the same rule as confineWritePath, for changes that did not come through
 * a write tool (a command or a gate the model's code ran).
 */
export async function executableConfigReason(root: string, relativePath: string, confinement: WriteConfinement = {}): Promise<string | undefined> {
  const segments = relativePath.split('/').filter((s) => s !== '' && s !== '.');
  return protectedReason(segments, await hooksSegments(root, confinement.hooksPath));
}

function protectedReason(segments: readonly string[], hooks: readonly string[] | undefined): string | undefined {
  const lower = segments.map((s) => s.toLowerCase());
  for (const segment of lower) {
    const folder = PROTECTED_FOLDERS[segment];
    if (folder !== undefined) return folder;
  }
  const file = PROTECTED_FILES[lower[lower.length - 1] ?? ''];
  if (file !== undefined) return file;
  if (hooks !== undefined && hooks.length > 0 && hooks.every((h, i) => lower[i] === h)) return `this repository's git hooks folder (core.hooksPath ${hooks.join('/')}) runs on the next commit`;
  return undefined;
}

/** core.hooksPath as lower-case segments inside the worktree; undefined when unset or outside it. */
async function hooksSegments(root: string, hooksPath: string | null | undefined): Promise<string[] | undefined> {
  if (!hooksPath) return undefined;
  let inside = hooksPath;
  if (isAbsolute(hooksPath)) {
    const realRoot = await realpath(root).catch(() => root);
    const real = await realpath(hooksPath).catch(() => hooksPath);
    inside = relative(realRoot, real);
    if (inside.startsWith('..') || isAbsolute(inside)) return undefined;
    inside = inside.split(sep).join('/');
  }
  const segments = inside.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').map((s) => s.toLowerCase());
  return segments.includes('..') ? undefined : segments;
}
