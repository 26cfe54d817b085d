import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGates } from '../../../src/core/review/runGates';
import { runProcess } from '../../../src/core/process/processRunner';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';

const KEY = 'sk-ant-api03-childsecret-Zq8vW2xY7pL4mN6bR1tC9dF3gH5jK0sA';
const TOKEN = 'auth-token-childsecret-4f1e9c';

/** Issue 11 item 6: the key reaches no child process — git and its hooks, gates, run_command. */
describe('hostile environment: the API key reaches no child process', function () {
  this.timeout(60_000);
  const saved = { key: process.env.ANTHROPIC_API_KEY, token: process.env.ANTHROPIC_AUTH_TOKEN };
  let sim: Simulator | undefined;
  beforeEach(() => {
    process.env.ANTHROPIC_API_KEY = KEY;
    process.env.ANTHROPIC_AUTH_TOKEN = TOKEN;
  });
  afterEach(async () => {
    for (const [name, value] of [['ANTHROPIC_API_KEY', saved.key], ['ANTHROPIC_AUTH_TOKEN', saved.token]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await sim?.close();
  });

  const assertClean = (label: string, env: string) => {
    assert.match(env, /^PATH=/m, `${label}: the dump is an environment`);
    assert.ok(!env.includes(KEY), `${label} saw the API key`);
    assert.ok(!env.includes(TOKEN), `${label} saw the auth token`);
  };

  it('a real batch runs no git hook, and the filter git does start (from the repository config) sees neither', async () => {
    sim = await startSimulator({ responder: demoResponder() });
    const repo = makeDemoRepo();
    const dumps = tempDir('hook-env');
    const hooks = join(tempDir('hooks'), 'hooks');
    mkdirSync(hooks);
    for (const hook of ['post-checkout', 'post-commit']) {
      writeFileSync(join(hooks, hook), `#!/bin/sh\nenv > "${dumps}/${hook}.$$"\n`);
      chmodSync(join(hooks, hook), 0o755);
    }
    execFileSync('git', ['config', 'core.hooksPath', hooks], { cwd: repo });
    // A clean filter is a program git runs on `git add` of the matching files: the user's config, run as configured.
    execFileSync('git', ['config', 'filter.dump.clean', `sh -c 'env > "${dumps}/filter.$$"; cat'`], { cwd: repo });
    writeFileSync(join(repo, '.git', 'info', 'attributes'), '* filter=dump\n');
    const storage = join(tempDir('hook-env'), 'storage');
    const r = await cli('run', '--repo', repo, '--tickets', 'D1', '--mode', 'direct', '--api-base', sim.url, '--storage', storage);
    assert.equal(r.code, 0, [...r.out, ...r.err].join('\n'));
    const files = readdirSync(dumps);
    assert.deepEqual(files.filter((f) => !f.startsWith('filter.')), [], 'no hook ran');
    assert.ok(files.some((f) => f.startsWith('filter.')), `the filter ran: ${files.join(', ')}`);
    for (const file of files) assertClean(file, readFileSync(join(dumps, file), 'utf8'));
  });

  it('gates, run_command and any process started with the default environment see neither', async () => {
    const dir = tempDir('child-env');
    const dump = `require('fs').writeFileSync(process.argv[1], Object.entries(process.env).map(([k, v]) => k + '=' + v).join('\\n'))`;
    const node = process.execPath;
    await runGates('standard', { test: `${node} -e "${dump}" ${join(dir, 'gate.env')}` }, dir);
    assertClean('a gate', readFileSync(join(dir, 'gate.env'), 'utf8'));
    const result = await executeTool('run_command', { command: `${node} -e "${dump}" tool.env` }, { root: dir, allowCommands: [`${node} -e`], commandTimeoutMs: 10_000, maxReadBytes: 1024, maxWriteBytes: 1024, maxOutputBytes: 1024 });
    assert.equal(result.isError, false, result.content);
    assertClean('run_command', readFileSync(join(dir, 'tool.env'), 'utf8'));
    await runProcess(node, ['-e', dump, join(dir, 'runner.env')], { cwd: dir });
    assertClean('runProcess', readFileSync(join(dir, 'runner.env'), 'utf8'));
  });
});
