import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type SandboxAvailability = { readonly available: true; readonly bwrap: string } | { readonly available: false; readonly reason: string };

/** Where bubblewrap is looked for when the policy names no path: PATH, then Debian's location. */
export function defaultBwrapPath(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter).filter((d) => d.startsWith('/'))) {
    const candidate = join(dir, 'bwrap');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return '/usr/bin/bwrap';
}

const probes = new Map<string, Promise<SandboxAvailability>>();

/**
 * Whether bubblewrap at `bwrap` can build the sandbox on this machine, tried once per path and
 * process: a trivial command under the same namespaces, mounts and dropped capabilities a real run
 * uses. It fails on macOS and Windows (no bubblewrap), where bwrap is missing, and on kernels or
 * containers that refuse user namespaces or a new /proc — each with the reason bubblewrap gave.
 */
export function sandboxAvailability(bwrap: string): Promise<SandboxAvailability> {
  let probe = probes.get(bwrap);
  if (!probe) {
    probe = probeOnce(bwrap);
    probes.set(bwrap, probe);
  }
  return probe;
}

const PROBE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--unshare-all', '--cap-drop', 'ALL', '--die-with-parent', '--', 'true'];
const PROBE_TIMEOUT_MS = 30_000;

function probeOnce(bwrap: string): Promise<SandboxAvailability> {
  if (process.platform !== 'linux') {
    return Promise.resolve({ available: false, reason: `there is no bubblewrap sandbox on ${process.platform === 'darwin' ? 'macOS' : process.platform === 'win32' ? 'Windows' : process.platform} (it needs Linux)` });
  }
  return new Promise((resolve) => {
    execFile(bwrap, PROBE_ARGS, { timeout: PROBE_TIMEOUT_MS, env: { PATH: '/usr/bin:/bin' } }, (error, _stdout, stderr) => {
      if (!error) return resolve({ available: true, bwrap });
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return resolve({ available: false, reason: `bubblewrap is not installed (no ${bwrap})` });
      const said = String(stderr).trim().split('\n')[0] || error.message;
      resolve({ available: false, reason: `bubblewrap (${bwrap}) cannot build a sandbox here: ${said}` });
    });
  });
}
