import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export const LINES = (n: number, prefix = 'line'): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';

/** A repository on `main` with one commit, and a helper to make ticket branches from that base. */
export function makeRepo(): { root: string; repo: string; base: string; cleanup(): void; branch(name: string, files: Record<string, string | null>): string } {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-review-ui-'));
  const repo = join(root, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, 'src/a.ts', LINES(20, 'a'));
  write(repo, 'src/b.ts', LINES(5, 'b'));
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'initial');
  git(repo, 'config', 'user.name', 'User');
  git(repo, 'config', 'user.email', 'user@example.invalid');
  const base = git(repo, 'rev-parse', 'HEAD');
  return {
    root,
    repo,
    base,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
    branch(name, files) {
      const wt = join(root, 'wt', name.replace(/\//g, '_'));
      git(repo, 'worktree', 'add', '-q', '-b', name, wt, base);
      for (const [path, text] of Object.entries(files)) {
        if (text === null) git(wt, 'rm', '-q', path);
        else write(wt, path, text);
      }
      git(wt, 'add', '--all');
      git(wt, 'commit', '-qm', `work on ${name}`);
      return wt;
    },
  };
}
