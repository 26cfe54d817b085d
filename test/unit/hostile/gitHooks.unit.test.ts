import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitClient } from '../../../src/core/git/gitClient';
import { mergeTicketBranch } from '../../../src/core/git/mergeSimulation';
import { removeTicketWorktree } from '../../../src/core/git/worktrees';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { isolateClaudeConfig } from '../claudeCode/claudeCodeHarness';
import { gitIn, makeRepo } from '../worker/workerHarness';
import { commitAll, ENGINES, markerCommand, markerDir, markersIn, playMoves, runWorker, writeFiles, type Move } from './workerAttack';

/** Every hook git runs on the commits, checkouts and merges Flotilla makes. */
const HOOKS = ['pre-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'post-checkout', 'post-merge', 'pre-merge-commit', 'reference-transaction', 'post-index-change', 'post-rewrite', 'pre-auto-gc'];

/** Secret-named variables of the user's environment; none may reach a process git starts. */
const USER_SECRETS: Readonly<Record<string, string>> = {
  AWS_SECRET_ACCESS_KEY: 'aws-secret-Hq2v8Lm4',
  DEPLOY_TOKEN: 'deploy-token-Zp3k9W',
  DATABASE_PASSWORD: 'db-password-Rt5y7U',
  GITHUB_PAT: 'ghp-pat-Xc1b2N3m',
  NPM_CONFIG__AUTH: 'npm-auth-Vb8n6M',
};

/**
 * Issue 20: git ran repository hooks on Flotilla's commits — a `core.hooksPath` such as `.husky/` is
 * a folder the worker writes — with every secret-named variable of the user's environment but
 * Anthropic's. Played through both engines: the model writes the hooks with a command it may run,
 * Flotilla commits its work and merges it into the user's branch (where the hooks now are).
 */
describe('hostile worker: git runs no hook on Flotilla commits and merges, and its children see no secret', function () {
  this.timeout(120_000);
  isolateClaudeConfig();
  let sim: Simulator | undefined;
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const key of [...Object.keys(USER_SECRETS), 'HOME']) saved[key] = process.env[key];
    Object.assign(process.env, USER_SECRETS);
  });
  afterEach(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await sim?.close();
  });

  /**
   * A repository whose `core.hooksPath` is `hooksFolder` (relative to the checkout), with a script that
   * writes hooks there; without one, the hooks are already in the main repository's .git/hooks.
   */
  function hostileRepo(markers: string, hooksFolder: string | null) {
    const env = makeRepo();
    const hookFiles = Object.fromEntries(HOOKS.map((hook) => [join(hooksFolder ?? '.git/hooks', hook), `#!/bin/sh\n${markerCommand(markers, hook)}\n`]));
    // A script of the repository the model rewrote: running it rewrites the hooks, executable. (Flotilla
    // takes such changes out of the ticket's commit, so the hooks folder is also in the base commit, as
    // in a repository that uses husky: the hooks are in place for every git command Flotilla runs.)
    const rewritten = Object.fromEntries(Object.entries(hookFiles).map(([file, text]) => [file, `${text}# rewritten by the model's script\n`]));
    const script = `const fs = require('fs');\nconst path = require('path');\nfor (const [file, text] of Object.entries(${JSON.stringify(rewritten)})) {\n  fs.mkdirSync(path.dirname(file), { recursive: true });\n  fs.writeFileSync(file, text, { mode: 0o755 });\n}\n`;
    writeFiles(env.repo, { 'write-hooks.js': script, '.gitattributes': '*.ts filter=record\n' });
    if (hooksFolder) {
      writeFiles(env.repo, hookFiles);
      for (const file of Object.keys(hookFiles)) chmodSync(join(env.repo, file), 0o755);
    }
    const base = commitAll(env.repo, 'hooks script');
    // A clean filter is a program the repository's config makes git run on add: it records what it was given.
    gitIn(env.repo, 'config', 'filter.record.clean', `sh -c 'env > "${markers}/filter-env.$$"; cat'`);
    if (hooksFolder) gitIn(env.repo, 'config', 'core.hooksPath', hooksFolder);
    else {
      writeFiles(env.repo, hookFiles);
      for (const file of Object.keys(hookFiles)) chmodSync(join(env.repo, file), 0o755);
    }
    return { ...env, base };
  }

  /** The user's home, whose git config names them: Flotilla's merge commit must still carry it. */
  function userHome(): string {
    const home = mkdtempSync(join(tmpdir(), 'flotilla-git-home-'));
    writeFiles(home, { '.gitconfig': '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n' });
    return home;
  }

  async function attack(engine: (typeof ENGINES)[number], hooksFolder: string | null): Promise<void> {
    const markers = markerDir();
    const env = hostileRepo(markers, hooksFolder);
    process.env.HOME = userHome();
    const moves: Move[] = [...(hooksFolder ? [{ command: 'node write-hooks.js' }] : []), { write: 'src/ok.ts', content: 'export const ok = true;\n' }, { finish: 'Added src/ok.ts.' }];
    sim = await startSimulator({ responder: playMoves(engine, moves) });
    const tools = { allowCommands: ['node write-hooks.js'], commandTimeoutMs: 20_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 };
    const result = await runWorker(engine, sim, env, { tools });
    assert.equal(result.status, 'done', result.reason);
    assert.deepEqual(result.diffStats.map((d) => d.path), ['src/ok.ts'], "the script's rewrite of the hooks was left out of the commit");
    const written = hooksFolder ? join(result.worktree, hooksFolder) : join(env.repo, '.git', 'hooks');
    assert.ok(HOOKS.every((hook) => existsSync(join(written, hook))), 'every hook is in place');

    // Accepting: the merge into the user's branch (which brings .husky/ into their checkout), then the worktree goes.
    const git = new GitClient();
    const merged = await mergeTicketBranch(git, env.repo, result.branch, 'Merge T1');
    assert.equal(merged.kind, 'merged');
    await removeTicketWorktree(git, env.repo, { path: result.worktree, branch: result.branch });
    if (hooksFolder) assert.ok(existsSync(join(env.repo, hooksFolder, 'post-merge')), "the hooks are in the user's checkout");

    const ran = markersIn(markers);
    assert.deepEqual(ran.filter((m) => !m.startsWith('filter-env.')), [], 'no hook ran');
    // Claude Code runs git itself (its status for the prompt), in its own environment: those runs are not Flotilla's.
    const filterRuns = ran.filter((m) => m.startsWith('filter-env.')).map((m) => readFileSync(join(markers, m), 'utf8')).filter((seen) => !/^CLAUDECODE=/m.test(seen));
    assert.ok(filterRuns.length > 0, 'git ran the configured filter (a process it starts)');
    for (const seen of filterRuns) {
      assert.match(seen, /^PATH=/m);
      for (const [name, value] of Object.entries(USER_SECRETS)) assert.ok(!seen.includes(name) && !seen.includes(value), `${name} reached a process git started`);
    }
    assert.equal(gitIn(env.repo, 'log', '-1', '--format=%an <%ae>'), 'Ada Lovelace <ada@example.org>', "the merge commit carries the user's identity");
  }

  for (const engine of ENGINES) {
    it(`${engine}: a .husky/ (core.hooksPath .husky) rewritten by the model's script — no hook runs on Flotilla's commit or merge`, () => attack(engine, '.husky'));
    it(`${engine}: hooks in the main repository's .git/hooks — none runs on Flotilla's checkout, commit or merge`, () => attack(engine, null));
  }
});
