import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { isInside, type SandboxProfile } from './sandboxProfile';

export interface SandboxRequest {
  /** The ticket's worktree: the working folder, writable. */
  readonly cwd: string;
  /** The environment the command would get; its HOME is hidden and its PATH decides which tool folders stay readable. */
  readonly env: NodeJS.ProcessEnv;
  readonly network: boolean;
  /** Flotilla's storage folders: hidden. */
  readonly hidden?: readonly string[];
  readonly writable?: readonly string[];
  /** Folders that must stay readable even where they lie in a hidden one (the executable's). */
  readonly readable?: readonly string[];
}

export interface SandboxLayout {
  readonly profile: SandboxProfile;
  /** HOME inside: the user's home folder's path, an empty tmpfs there. */
  readonly home: string;
}

/**
 * The profile for one run, from what is on disk now: real paths (a worktree under a linked folder
 * is bound where it really is), only folders that exist (bubblewrap cannot create a mount point in
 * the read-only root), and the git metadata a worktree needs — its `.git` file names a folder in the
 * main repository's `.git`, which stays readable (read-only: `git status` works, git cannot write
 * its index, and nothing can change the repository) while the main repository's files are hidden.
 */
export function sandboxLayout(request: SandboxRequest): SandboxLayout {
  const worktree = realpathSync(request.cwd);
  const homes = [request.env.HOME, process.env.HOME, homedir(), userInfo().homedir].flatMap((dir) => realDir(dir)).filter((dir) => dir !== '/');
  const git = gitFolders(worktree);
  const hidden = unique([...homes, ...realDir('/home'), ...realDir('/run'), ...(request.hidden ?? []).flatMap(realDir), ...git.hidden]).filter((dir) => dir !== worktree);
  const readable = unique([...git.readable, ...toolFolders(request.env.PATH, hidden), ...(request.readable ?? []).flatMap(realDir)]);
  const writable = unique((request.writable ?? []).flatMap(realDir));
  return { profile: { worktree, writable, hidden, readable, network: request.network }, home: homes[0] ?? '/tmp' };
}

/** The main repository's working tree (hidden) and its git folders (readable) for a linked worktree. */
function gitFolders(worktree: string): { hidden: string[]; readable: string[] } {
  const dotGit = join(worktree, '.git');
  let text: string;
  try {
    if (!statSync(dotGit).isFile()) return { hidden: [], readable: [] };
    text = readFileSync(dotGit, 'utf8');
  } catch {
    return { hidden: [], readable: [] };
  }
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1];
  if (!pointer) return { hidden: [], readable: [] };
  const gitDir = realDir(resolve(worktree, pointer))[0];
  if (!gitDir) return { hidden: [], readable: [] };
  let common = gitDir;
  try {
    common = realDir(resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()))[0] ?? gitDir;
  } catch {
    // no commondir file: the git folder is the whole repository's
  }
  const repository = basename(common) === '.git' ? dirname(common) : undefined;
  const hidden = repository && repository !== '/' && !isInside(worktree, repository) ? [repository] : [];
  return { hidden, readable: unique([common, gitDir]) };
}

/**
 * PATH folders that lie in a hidden folder (a Node from nvm under the home, ~/.local/bin) stay
 * readable, so the project's tools still run. A Node installation's `bin` brings its prefix (npm in
 * `bin` is a link into `lib/node_modules`), never a whole home or hidden root.
 */
function toolFolders(path: string | undefined, hidden: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of (path ?? '').split(delimiter).filter((dir) => isAbsolute(dir))) {
    const dir = realDir(entry)[0];
    if (!dir || !hidden.some((h) => isInside(dir, h) && dir !== h)) continue;
    const prefix = dirname(dir);
    const nodePrefix = basename(dir) === 'bin' && existsSync(join(prefix, 'lib', 'node_modules')) && !hidden.includes(prefix);
    out.push(nodePrefix ? prefix : dir);
  }
  return out;
}

/** The real path of an existing folder, as a list of zero or one. */
function realDir(dir: string | undefined): string[] {
  if (!dir || !isAbsolute(dir)) return [];
  try {
    const real = realpathSync(dir);
    return statSync(real).isDirectory() ? [real] : [];
  } catch {
    return [];
  }
}

function unique(dirs: readonly string[]): string[] {
  return [...new Set(dirs)];
}
