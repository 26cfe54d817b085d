import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway repository under the OS temp folder; never the real project. */
export interface TempRepo {
  readonly root: string;
  git(...args: string[]): string;
  write(path: string, content: string): void;
  commitAll(message: string): string;
  dispose(): void;
}

const isolatedEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' };

export function tempFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `flotilla-${prefix}-`));
}

export function createTempRepo(options: { commit?: boolean } = {}): TempRepo {
  const root = tempFolder('repo');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, env: isolatedEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '--quiet', '--initial-branch=main');
  git('config', 'user.name', 'Flotilla Test');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const commitAll = (message: string): string => {
    git('add', '--all');
    git('commit', '--quiet', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  if (options.commit !== false) {
    write('README.md', '# demo\n');
    write('src/app.ts', 'export const a = 1;\n');
    commitAll('initial');
  }
  return { root, git, write, commitAll, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
