import assert from 'node:assert/strict';
import { sandboxEnvironment } from '../../../src/core/process/sandboxEnvironment';
import { bwrapArguments, type SandboxProfile } from '../../../src/core/process/sandboxProfile';

const profile = (overrides: Partial<SandboxProfile> = {}): SandboxProfile => ({
  worktree: '/home/ann/.flotilla/worktrees/B1/T1',
  writable: [],
  hidden: ['/home/ann', '/home', '/run', '/home/ann/.flotilla', '/home/ann/code/app'],
  readable: ['/home/ann/code/app/.git', '/home/ann/.nvm/versions/node/v20'],
  network: false,
  ...overrides,
});

/** The mounts of an argv as [option, path] pairs in order (binds name the path twice). */
function mounts(args: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--tmpfs' || arg === '--dev' || arg === '--proc' || arg === '--chdir') out.push([arg, args[++i] as string]);
    else if (arg === '--ro-bind' || arg === '--bind') {
      out.push([arg, args[i + 2] as string]);
      i += 2;
    }
  }
  return out;
}

describe('bwrapArguments (the sandbox profile as bubblewrap options)', () => {
  it('builds read-only root, fresh /dev and /proc, a private /tmp, hidden folders, readable ones back, the worktree writable last', () => {
    assert.deepEqual(mounts(bwrapArguments(profile())), [
      ['--ro-bind', '/'],
      ['--dev', '/dev'],
      ['--proc', '/proc'],
      ['--tmpfs', '/tmp'],
      ['--tmpfs', '/home'],
      ['--tmpfs', '/run'],
      ['--tmpfs', '/home/ann'],
      ['--tmpfs', '/home/ann/.flotilla'],
      ['--tmpfs', '/home/ann/code/app'],
      ['--ro-bind', '/home/ann/code/app/.git'],
      ['--ro-bind', '/home/ann/.nvm/versions/node/v20'],
      ['--bind', '/home/ann/.flotilla/worktrees/B1/T1'],
      ['--chdir', '/home/ann/.flotilla/worktrees/B1/T1'],
    ]);
  });

  it('drops every capability, unshares every namespace (network included) and dies with its parent', () => {
    const args = bwrapArguments(profile());
    assert.deepEqual(args.slice(args.indexOf('--unshare-all')), ['--unshare-all', '--cap-drop', 'ALL', '--die-with-parent']);
    assert.ok(!args.includes('--share-net'));
    assert.ok(!args.includes('--new-session'), 'bubblewrap stays in the caller’s process group, so a group kill reaches inside');
  });

  it('shares the network only when the profile says so', () => {
    const args = bwrapArguments(profile({ network: true }));
    assert.deepEqual(args.slice(args.indexOf('--unshare-all')), ['--unshare-all', '--share-net', '--cap-drop', 'ALL', '--die-with-parent']);
  });

  it('binds writable folders after everything else (shallow first), and never hides / or the private /tmp again', () => {
    const args = bwrapArguments(profile({ hidden: ['/', '/tmp', '/home/ann'], writable: ['/home/ann/.flotilla/claude-config'], readable: [] }));
    assert.deepEqual(mounts(args).slice(4), [
      ['--tmpfs', '/home/ann'],
      ['--bind', '/home/ann/.flotilla/claude-config'],
      ['--bind', '/home/ann/.flotilla/worktrees/B1/T1'],
      ['--chdir', '/home/ann/.flotilla/worktrees/B1/T1'],
    ]);
  });

  it('keeps a readable folder only where it lies in a hidden one or the private /tmp (elsewhere it is readable already)', () => {
    const args = bwrapArguments(profile({ hidden: ['/home/ann'], readable: ['/usr/local/bin', '/home/ann', '/home/ann/bin', '/tmp/repo/.git', '/tmp'] }));
    assert.deepEqual(mounts(args).filter(([option]) => option === '--ro-bind').map(([, path]) => path), ['/', '/home/ann/bin', '/tmp/repo/.git']);
  });
});

describe('sandboxEnvironment', () => {
  it('keeps the allow-listed basics, sets the private HOME and TMPDIR, adds what the caller vouches for, and nothing else', () => {
    const env = sandboxEnvironment(
      { PATH: '/usr/bin', LANG: 'C.UTF-8', LC_ALL: 'C', TERM: 'xterm', HOME: '/home/ann', TMPDIR: '/var/folders/x', GITHUB_TOKEN: 'ghp_x', AWS_SECRET_ACCESS_KEY: 'x', NODE_OPTIONS: '--require x', npm_config_cache: '/home/ann/.npm', VSCODE_IPC_HOOK: '/run/x.sock' },
      { home: '/home/ann', extra: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:1/run/r', ANTHROPIC_API_KEY: 'flotilla-proxy-token' } },
    );
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      TERM: 'xterm',
      HOME: '/home/ann',
      TMPDIR: '/tmp',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:1/run/r',
      ANTHROPIC_API_KEY: 'flotilla-proxy-token',
    });
  });
});
