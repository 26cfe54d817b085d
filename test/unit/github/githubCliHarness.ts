import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ISSUES } from '../../../src/simulator/demo/demoIssues';
import { GitHubFake } from '../../fakes/githubFake';
import { makeDemoRepo, tempDir } from '../cli/cliHarness';

/** A GitHub-shaped token no real GitHub would accept, unique enough to grep for. */
export const FAKE_TOKEN = 'ghp_H7fakeTokenNeverValid0123456789abcdefXY';

export interface GitHubCliWorld {
  readonly fake: GitHubFake;
  /** The demo repository, with `origin` a bare repository (any remote will do with --github-repo). */
  readonly repo: string;
  readonly origin: string;
  readonly storage: string;
  /** Where git's children (a clean filter) record their environment. */
  readonly dumps: string;
  close(): Promise<void>;
}

const saved: Record<string, string | undefined> = {};
const VARIABLES = ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_API_URL', 'SSH_AUTH_SOCK'] as const;

/**
 * The demo repository with a bare `origin`, the fake GitHub holding D1 and D2 as issues #1 and #2
 * (plus a pull request and an issue without the label), the token and API address in the environment
 * as a terminal would have them, and a git filter that records what environment git's children get.
 */
export async function gitHubCliWorld(): Promise<GitHubCliWorld> {
  const repo = makeDemoRepo();
  const origin = join(tempDir('origin'), 'textkit.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', origin]);
  // Git runs no hooks for Flotilla, but it does run a configured clean filter on every `git add`
  // (a worker's commit, the merge) and the ssh command of an ssh remote (the push of `pr`): both
  // record the environment they get. The "ssh" runs git's receive-pack on the bare repository.
  const dumps = tempDir('child-env');
  const ssh = join(tempDir('ssh'), 'fake-ssh.sh');
  writeFileSync(ssh, `#!/bin/sh\nenv > "${dumps}/ssh.$$"\nfor last; do :; done\nexec sh -c "$last"\n`);
  chmodSync(ssh, 0o755);
  execFileSync('git', ['config', 'core.sshCommand', ssh], { cwd: repo });
  execFileSync('git', ['remote', 'add', 'origin', `ssh://fake-origin${origin}`], { cwd: repo });
  execFileSync('git', ['push', '-q', 'origin', 'main'], { cwd: repo });
  const filter = join(tempDir('filter'), 'dump-env.sh');
  writeFileSync(filter, `#!/bin/sh\nenv > "${dumps}/clean.$$"\nexec cat\n`);
  chmodSync(filter, 0o755);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
  git('config', 'filter.dumpenv.clean', filter);
  writeFileSync(join(repo, '.gitattributes'), '*.js filter=dumpenv\n*.md filter=dumpenv\n');
  git('add', '.gitattributes');
  git('commit', '-qm', 'record the environment of git filters');
  git('push', '-q', 'origin', 'main');
  const fake = await GitHubFake.start({
    owner: 'octo',
    repo: 'textkit',
    token: FAKE_TOKEN,
    issues: [
      ...DEMO_ISSUES.map((i) => ({ number: i.number, title: i.title, labels: i.labels, body: i.body })),
      { number: 3, title: 'A pull request, listed among the issues', labels: ['flotilla'], pullRequest: true },
      { number: 4, title: 'Not labelled for Flotilla', labels: ['question'] },
    ],
    headExists: async (branch) => {
      try {
        execFileSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { cwd: origin, stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    },
  });
  for (const name of VARIABLES) saved[name] = process.env[name];
  process.env.GITHUB_TOKEN = FAKE_TOKEN;
  delete process.env.GH_TOKEN;
  process.env.GITHUB_API_URL = fake.url;
  // The user's SSH agent, which a push needs and may use (nothing listens there: the fake ssh ignores it).
  process.env.SSH_AUTH_SOCK = join(dumps, 'agent.sock');
  return {
    fake,
    repo,
    origin,
    storage: join(tempDir('gh-storage'), 'storage'),
    dumps,
    close: async () => {
      for (const name of VARIABLES) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await fake.close();
    },
  };
}

/** Every file below `folder` whose bytes contain `needle` (the token must be in none). */
export function filesContaining(folder: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stats = statSync(path, { throwIfNoEntry: false });
      if (!stats) continue;
      if (stats.isDirectory()) walk(path);
      else if (stats.isFile() && readFileSync(path).includes(needle)) found.push(path);
    }
  };
  walk(folder);
  return found;
}
