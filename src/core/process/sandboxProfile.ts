import { sep } from 'node:path';

/**
 * What a sandboxed process may see and do. Everything not named here is the host's file system,
 * read-only; every path is absolute and real (no symbolic links), as sandboxLayout.ts resolves them.
 */
export interface SandboxProfile {
  /** The working folder and the one place meant for writing: the ticket's worktree. */
  readonly worktree: string;
  /** Other folders the process may write (Claude Code's own config folder). */
  readonly writable: readonly string[];
  /**
   * Folders replaced by an empty tmpfs: the user's home, /home, /run (agent and bus sockets),
   * Flotilla's storage, the main repository's working tree.
   */
  readonly hidden: readonly string[];
  /** Folders inside a hidden one that stay readable: the repository's git metadata, tools on PATH. */
  readonly readable: readonly string[];
  /** Share the host's network; otherwise the process has a loopback of its own and nothing else. */
  readonly network: boolean;
}

/**
 * bubblewrap's options for a profile (the command follows after `--`). Mounts apply in order, so the
 * order is the design: `/` read-only, fresh /dev and /proc (the latter for the new PID namespace, so
 * /proc/<pid>/environ shows only the sandbox's own processes), a private /tmp, then the hidden
 * folders (shallow first, so a hidden folder inside another is mounted into the first's tmpfs), the
 * readable folders back on top of them, and the writable ones last — the worktree usually lives
 * under /tmp, the home or the storage, all hidden before it is bound.
 *
 * Every capability is dropped (`--cap-drop ALL` also empties the bounding set, and bubblewrap sets
 * no_new_privs): run as root, bubblewrap would otherwise keep root's capabilities inside, enough to
 * remount `/` read-write. `--die-with-parent` ends the sandbox with the process that started it.
 * No `--new-session`: callers start bubblewrap as the leader of its own session and process group
 * (detached, without a terminal), so the group kill on cancel and timeout reaches every process
 * inside that did not leave the group, and the sandbox's PID 1 takes the rest with it.
 */
export function bwrapArguments(profile: SandboxProfile): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'];
  const hidden = unique(profile.hidden).filter((dir) => dir !== '/' && dir !== '/tmp');
  // Elsewhere a readable folder is readable already; under /tmp (test repositories, a storage folder
  // there) it is behind the private /tmp like behind any hidden folder.
  const readable = unique(profile.readable).filter((dir) => ['/tmp', ...hidden].some((h) => isInside(dir, h) && dir !== h));
  const layers = [...hidden.map((dir) => ({ dir, mount: '--tmpfs' })), ...readable.map((dir) => ({ dir, mount: '--ro-bind' }))];
  // Shallow first; at equal depth a hidden folder before a readable one, so the readable one stays.
  layers.sort((a, b) => depth(a.dir) - depth(b.dir) || (a.mount === '--tmpfs' ? -1 : 1) - (b.mount === '--tmpfs' ? -1 : 1));
  for (const { dir, mount } of layers) args.push(...(mount === '--tmpfs' ? [mount, dir] : [mount, dir, dir]));
  for (const dir of unique([profile.worktree, ...profile.writable]).sort((a, b) => depth(a) - depth(b))) args.push('--bind', dir, dir);
  args.push('--chdir', profile.worktree, '--unshare-all');
  if (profile.network) args.push('--share-net');
  args.push('--cap-drop', 'ALL', '--die-with-parent');
  return args;
}

/** `inner` is `outer` or lies below it. */
export function isInside(inner: string, outer: string): boolean {
  return inner === outer || outer === sep || inner.startsWith(outer.endsWith(sep) ? outer : `${outer}${sep}`);
}

function depth(dir: string): number {
  return dir.split(sep).filter(Boolean).length;
}

function unique(dirs: readonly string[]): string[] {
  return [...new Set(dirs)];
}
