import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `run` with an environment whose home, temp and cache folders are one private, empty folder
 * (mode 0700, removed afterwards). Commands and gates run code the model wrote (its tests); they get
 * the worktree and this folder to write in, not the user's home (~/.npmrc, ~/.ssh, shell profiles)
 * or the shared temp folder. It is not a sandbox — a process can still name any path it can reach —
 * but nothing Flotilla hands it points outside the worktree.
 */
export async function withPrivateHome<T>(base: NodeJS.ProcessEnv, run: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-home-'));
  try {
    return await run({
      ...base,
      HOME: dir,
      USERPROFILE: dir,
      TMPDIR: dir,
      TMP: dir,
      TEMP: dir,
      XDG_CONFIG_HOME: join(dir, '.config'),
      XDG_CACHE_HOME: join(dir, '.cache'),
      XDG_DATA_HOME: join(dir, '.local', 'share'),
      XDG_STATE_HOME: join(dir, '.local', 'state'),
      // npm passes its own cache folder down to scripts; keep that private too.
      npm_config_cache: join(dir, '.npm'),
    });
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}
