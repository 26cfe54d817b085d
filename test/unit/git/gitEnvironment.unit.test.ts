import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { GitClient } from '../../../src/core/git/gitClient';
import { diffWithCounts } from '../../../src/core/git/diff';
import { GIT_SAFETY_CONFIG, gitEnvironment } from '../../../src/core/git/gitEnvironment';
import { configuredHooksPath } from '../../../src/core/git/hooksPath';
import type { ProcessRunner } from '../../../src/core/process/processRunner';
import { runProcess } from '../../../src/core/process/processRunner';
import { createTempRepo, type TempRepo } from './tempRepo';

describe('git environment and command-line configuration', () => {
  let repo: TempRepo | undefined;
  afterEach(() => repo?.dispose());

  it("passes only what git needs: its paths, the user's config files and identity, Windows' basics", () => {
    const env = gitEnvironment({
      PATH: '/usr/bin',
      HOME: '/home/ada',
      XDG_CONFIG_HOME: '/home/ada/.config',
      GIT_CONFIG_GLOBAL: '/home/ada/git.conf',
      GIT_AUTHOR_NAME: 'Ada',
      EMAIL: 'ada@example.org',
      SystemRoot: 'C:\\Windows',
      Path: 'C:\\Windows\\system32',
      // Everything below stays out.
      AWS_SECRET_ACCESS_KEY: 'x',
      GITHUB_PAT: 'x',
      GH_TOKEN: 'x',
      SSH_AUTH_SOCK: '/tmp/agent',
      NODE_OPTIONS: '--require evil.js',
      GIT_DIR: '/elsewhere/.git',
      GIT_INDEX_FILE: '/elsewhere/index',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: '/tmp/hooks',
      LC_ALL: 'de_DE.UTF-8',
    });
    assert.deepEqual(env, {
      PATH: '/usr/bin',
      HOME: '/home/ada',
      XDG_CONFIG_HOME: '/home/ada/.config',
      GIT_CONFIG_GLOBAL: '/home/ada/git.conf',
      GIT_AUTHOR_NAME: 'Ada',
      EMAIL: 'ada@example.org',
      SystemRoot: 'C:\\Windows',
      Path: 'C:\\Windows\\system32',
      LC_ALL: 'C',
      LANGUAGE: 'C',
      GIT_TERMINAL_PROMPT: '0',
    });
  });

  it('starts every git process with hooks and the fs monitor off, and gives it that environment', async () => {
    const calls: { args: readonly string[]; env: NodeJS.ProcessEnv | undefined }[] = [];
    const runner: ProcessRunner = async (file, args, options) => {
      calls.push({ args, env: options.env });
      return runProcess(file, args, options);
    };
    repo = createTempRepo();
    const git = new GitClient({ runner, env: { PATH: process.env.PATH, HOME: process.env.HOME, DEPLOY_TOKEN: 'secret' } });
    await git.run(repo.root, ['status']);
    assert.deepEqual(calls[0]?.args.slice(0, GIT_SAFETY_CONFIG.length), GIT_SAFETY_CONFIG);
    assert.equal(calls[0]?.args.at(-1), 'status');
    assert.equal(calls[0]?.env?.DEPLOY_TOKEN, undefined);
  });

  it("reads the repository's own core.hooksPath past the command-line override", async () => {
    repo = createTempRepo();
    const git = new GitClient();
    assert.equal(await configuredHooksPath(git, repo.root), null);
    repo.git('config', 'core.hooksPath', '.husky/_');
    assert.equal(await configuredHooksPath(git, repo.root), '.husky/_');
  });

  it("runs no textconv or external diff program from the repository's config on a ticket's diff", async () => {
    repo = createTempRepo();
    const marker = `${repo.root}.textconv-ran`;
    repo.git('config', 'diff.shout.textconv', `sh -c 'touch "${marker}"; tr a-z A-Z < "$0"'`);
    repo.git('config', 'diff.external', `sh -c 'touch "${marker}"'`);
    repo.write('.gitattributes', '*.ts diff=shout\n');
    const base = repo.commitAll('attributes');
    repo.write('src/app.ts', 'export const a = 2;\n');
    const head = repo.commitAll('change');
    const diff = await diffWithCounts(new GitClient(), repo.root, { from: base, to: head });
    assert.match(diff.unified, /\+export const a = 2;/, 'the diff is of the file itself, not a conversion');
    assert.equal(existsSync(marker), false);
  });
});
