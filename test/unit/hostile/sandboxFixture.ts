import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GateResult } from '../../../src/core/review/gateTypes';
import { runGates } from '../../../src/core/review/runGates';
import type { SandboxPolicy } from '../../../src/core/process/sandbox';
import { commandEnvironment } from '../../../src/core/worker/tools/runCommandTool';

/**
 * A batch's layout on disk, outside /tmp (the sandbox's /tmp is private anyway, which would make
 * every escape into /tmp fail for that reason alone): the main repository, Flotilla's storage with
 * a ticket's linked worktree in it, a folder that belongs to nobody, and a planted home with an SSH key.
 */
export interface SandboxFixture {
  readonly base: string;
  readonly repo: string;
  readonly storage: string;
  readonly worktree: string;
  readonly outside: string;
  readonly home: string;
  /** Writes a file into the worktree. */
  write(relative: string, text: string): void;
  /** The batch's policy: no network, no running unsandboxed, the storage hidden. */
  policy(overrides?: Partial<SandboxPolicy>): SandboxPolicy;
  /** Runs `command` as the build gate of the worktree, as the reviewer does, with the planted home as HOME. */
  gate(command: string, options?: { sandbox?: Partial<SandboxPolicy>; timeoutMs?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<GateResult>;
  dispose(): void;
}

export const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY----- planted-${process.pid}`;

/**
 * Secrets whose names the secret pattern (childEnvironment.ts) does not catch: the sandbox's
 * environment is an allow-list, so none of them may get in whatever that pattern misses.
 */
export const SECRETS_UNDER_PLAIN_NAMES: Readonly<Record<string, string>> = {
  AWS_SECRET_ACCESS_KEY: `aws-planted-${process.pid}-wJalrXUtnFEMI`,
  GITHUB_PAT: `github_pat_planted_${process.pid}`,
  NPM_CONFIG__AUTH: `npm-auth-planted-${process.pid}`,
};

export function sandboxFixture(): SandboxFixture {
  // /var/tmp is on every Debian machine and, unlike /tmp, is not replaced inside the sandbox.
  if (!existsSync('/var/tmp')) throw new Error('the sandbox tests need /var/tmp');
  const base = realpathSync(mkdtempSync('/var/tmp/flotilla-sandbox-'));
  const repo = join(base, 'repo');
  const storage = join(base, 'storage');
  const worktree = join(storage, 'worktrees', 'B1', 'T1');
  const outside = join(base, 'outside');
  const home = join(base, 'home');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'pipe' });
  mkdirSync(repo, { recursive: true });
  mkdirSync(outside);
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_rsa'), `${PRIVATE_KEY}\n`);
  writeFileSync(join(outside, 'secret.txt'), 'outside secret\n');
  writeFileSync(join(repo, 'README.md'), '# repo\n');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'init');
  mkdirSync(dirname(worktree), { recursive: true });
  git(repo, 'worktree', 'add', '-q', '-b', 'flotilla/B1/T1', worktree);
  const policy = (overrides: Partial<SandboxPolicy> = {}): SandboxPolicy => ({ allowNetwork: false, allowUnsandboxed: false, hidden: [storage], ...overrides });
  return {
    base,
    repo,
    storage,
    worktree,
    outside,
    home,
    write: (relative, text) => {
      mkdirSync(dirname(join(worktree, relative)), { recursive: true });
      writeFileSync(join(worktree, relative), text);
    },
    policy,
    gate: async (command, options = {}) => {
      const outcome = await runGates('minimal', { build: command }, worktree, {
        sandbox: policy(options.sandbox),
        env: options.env ?? { ...commandEnvironment(), HOME: home },
        timeoutMs: options.timeoutMs ?? 60_000,
        signal: options.signal,
      });
      return outcome.gates[0] as GateResult;
    },
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}
