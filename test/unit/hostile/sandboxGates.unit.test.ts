import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { processesWith } from '../claudeCode/claudeCodeHarness';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { commandEnvironment } from '../../../src/core/worker/tools/runCommandTool';
import type { ToolResult } from '../../../src/core/worker/tools/toolTypes';
import { PRIVATE_KEY, SECRETS_UNDER_PLAIN_NAMES, sandboxFixture, type SandboxFixture } from './sandboxFixture';

const ROOT = join(__dirname, '../../..');
const PLANTED_KEY = `sk-ant-api03-planted-${process.pid}-${Date.now().toString(36)}`;

/** A Node script for the worktree that prints one JSON line; `body` sets `out`. */
const probe = (body: string) => `const fs = require('fs'); const out = {};\n${body}\nconsole.log(JSON.stringify(out));\n`;
const resultOf = (output: string): Record<string, unknown> => JSON.parse(output.split('\n').find((l) => l.startsWith('{')) ?? '{}') as Record<string, unknown>;

async function waitFor(condition: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return condition();
}

/** Issue 20 item 2: gates run model-written code; in the sandbox it reaches nothing but its worktree. */
describe('hostile gates: model-written code runs in the bubblewrap sandbox', function () {
  this.timeout(90_000);
  let fx: SandboxFixture;
  beforeEach(() => {
    fx = sandboxFixture();
  });
  afterEach(() => fx.dispose());

  it('reads /proc/*/environ of every process it can see and finds no key, though the process running the gate holds one', () => {
    fx.write(
      'environ.js',
      probe(`out.pids = fs.readdirSync('/proc').filter((e) => /^\\d+$/.test(e)); out.read = 0; out.hits = [];
for (const pid of out.pids) { try { const env = fs.readFileSync('/proc/' + pid + '/environ', 'latin1'); out.read++; if (env.includes('sk-ant-api03-planted')) out.hits.push(pid); } catch {} }`),
    );
    // The gate runs in a process started with the key in its environment, which /proc/<pid>/environ shows.
    const runIn = (...extra: string[]) => {
      const stdout = execFileSync(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'gateInKeyedProcess.ts'), fx.worktree, fx.storage, `${process.execPath} environ.js`, ...extra], {
        cwd: ROOT,
        env: { ...process.env, ANTHROPIC_API_KEY: PLANTED_KEY },
        encoding: 'utf8',
      });
      const gate = JSON.parse(stdout) as { status: string; output: string };
      assert.equal(gate.status, 'pass', gate.output);
      return resultOf(gate.output) as { pids: string[]; read: number; hits: string[] };
    };
    const sandboxed = runIn();
    assert.ok(sandboxed.read >= 1, 'the gate could read environ files (its own at least)');
    assert.deepEqual(sandboxed.hits, [], 'no process the gate can see holds the key');
    assert.ok(sandboxed.pids.length <= 5, `only the sandbox's own processes are visible: ${sandboxed.pids.join(' ')}`);
    // The same probe without the sandbox finds the key in its parent: the probe is not blind.
    const bare = runIn('unsandboxed');
    assert.ok(bare.hits.length > 0, 'unsandboxed, the probe sees the key of the process that runs it');
  });

  it('cannot write outside the worktree: not the main repository, its .git, the storage, nor any other folder', async () => {
    const targets = [join(fx.repo, 'README.md'), join(fx.repo, '.git', 'hooks', 'post-commit'), join(fx.storage, 'ledger.jsonl'), join(fx.outside, 'secret.txt'), join(fx.base, 'escaped.txt'), '/etc/flotilla-escape'];
    fx.write(
      'write.js',
      probe(`out.written = []; out.errors = [];
for (const target of process.argv.slice(2)) { try { fs.appendFileSync(target, 'owned'); out.written.push(target); } catch (e) { out.errors.push(e.code); } }
fs.writeFileSync('inside.txt', 'ok'); out.inside = true;`),
    );
    const gate = await fx.gate(`${process.execPath} write.js ${targets.join(' ')}`);
    assert.equal(gate.status, 'pass', gate.output);
    const result = resultOf(gate.output) as { written: string[]; errors: string[]; inside: boolean };
    // The repository's files and the storage are hidden behind an empty tmpfs: a write lands there and
    // vanishes with the sandbox. Everything else is read-only.
    assert.deepEqual(result.errors, ['EROFS', 'EROFS', 'EROFS', 'EROFS'], JSON.stringify(result));
    assert.equal(readFileSync(join(fx.repo, 'README.md'), 'utf8'), '# repo\n');
    assert.equal(readFileSync(join(fx.outside, 'secret.txt'), 'utf8'), 'outside secret\n');
    for (const target of [join(fx.repo, '.git', 'hooks', 'post-commit'), join(fx.storage, 'ledger.jsonl'), join(fx.base, 'escaped.txt'), '/etc/flotilla-escape']) assert.ok(!existsSync(target), target);
    assert.equal(readFileSync(join(fx.worktree, 'inside.txt'), 'utf8'), 'ok', 'the worktree is writable');
  });

  it("sees an empty home: no ~/.ssh/id_rsa of the planted home, and nothing it writes there stays", async () => {
    fx.write(
      'home.js',
      probe(`const os = require('os'); const path = require('path'); out.home = os.homedir(); out.listing = fs.readdirSync(out.home);
out.key = ['~', process.argv[2]].map((h) => { try { return fs.readFileSync(path.join(h === '~' ? out.home : h, '.ssh', 'id_rsa'), 'utf8'); } catch (e) { return e.code; } });
fs.writeFileSync(path.join(out.home, 'left-behind'), 'x');`),
    );
    const gate = await fx.gate(`${process.execPath} home.js ${fx.home}`);
    assert.equal(gate.status, 'pass', gate.output);
    const result = resultOf(gate.output) as { home: string; listing: string[]; key: string[] };
    assert.equal(result.home, fx.home, 'HOME keeps its path');
    assert.deepEqual(result.listing, [], 'the home is empty inside');
    assert.deepEqual(result.key, ['ENOENT', 'ENOENT']);
    assert.ok(!gate.output.includes(PRIVATE_KEY));
    assert.ok(!existsSync(join(fx.home, 'left-behind')), 'what it wrote to its home is gone');
    assert.ok(existsSync(join(fx.home, '.ssh', 'id_rsa')), 'the real home is untouched');
  });

  it('cannot remount / read-write, even when Flotilla runs as root: no capabilities inside', async () => {
    // Unique per run, and removed whatever happens: were the sandbox broken, the write would land in the real /usr.
    const probeFile = `/usr/flotilla-remount-probe-${process.pid}-${Date.now()}`;
    fx.write(
      'remount.js',
      probe(`const { spawnSync } = require('child_process'); out.uid = process.getuid();
out.capEff = /CapEff:\\s*(\\S+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1];
out.remount = spawnSync('mount', ['-o', 'remount,bind,rw', '/'], { encoding: 'utf8' }).status;
try { fs.writeFileSync(process.argv[2], 'x'); out.wrote = true; } catch (e) { out.wrote = e.code; }`),
    );
    try {
      const gate = await fx.gate(`${process.execPath} remount.js ${probeFile}`);
      assert.equal(gate.status, 'pass', gate.output);
      const result = resultOf(gate.output) as { uid: number; capEff: string; remount: number | null; wrote: unknown };
      assert.equal(result.uid, process.getuid?.(), 'the same user inside (root here and in CI)');
      assert.match(result.capEff, /^0+$/, 'no effective capability');
      assert.notEqual(result.remount, 0, 'mount -o remount,rw / failed');
      assert.equal(result.wrote, 'EROFS');
      assert.ok(!existsSync(probeFile));
    } finally {
      rmSync(probeFile, { force: true });
    }
  });

  describe('network', () => {
    let server: Server;
    let port = 0;
    beforeEach(async () => {
      server = createServer((socket) => socket.end('hello from the host\n'));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const connect = probe(`require('net').connect(Number(process.argv[2]), '127.0.0.1').on('data', (d) => { out.got = String(d).trim(); console.log(JSON.stringify(out)); process.exit(0); }).on('error', (e) => { out.error = e.code; console.log(JSON.stringify(out)); process.exit(0); });
return;`);

    it('has none: a connection to a listener on the host’s 127.0.0.1 fails', async () => {
      fx.write('connect.js', `(() => {${connect}})();\n`);
      const gate = await fx.gate(`${process.execPath} connect.js ${port}`);
      assert.equal(gate.status, 'pass', gate.output);
      const result = resultOf(gate.output) as { got?: string; error?: string };
      assert.equal(result.got, undefined);
      assert.equal(result.error, 'ECONNREFUSED');
    });

    it('shares the host’s with flotilla.sandbox.allowNetwork', async () => {
      fx.write('connect.js', `(() => {${connect}})();\n`);
      const gate = await fx.gate(`${process.execPath} connect.js ${port}`, { sandbox: { allowNetwork: true } });
      assert.equal(gate.status, 'pass', gate.output);
      assert.equal(resultOf(gate.output).got, 'hello from the host');
    });
  });

  it('has a private /tmp', async () => {
    const hostFile = `/tmp/flotilla-host-${process.pid}-${Date.now()}`;
    const insideName = `flotilla-inside-${process.pid}-${Date.now()}`;
    writeFileSync(hostFile, 'host');
    try {
      fx.write('tmp.js', probe(`out.sawHost = fs.existsSync(process.argv[2]); fs.writeFileSync('/tmp/' + process.argv[3], 'inside'); out.tmpdir = require('os').tmpdir();`));
      const gate = await fx.gate(`${process.execPath} tmp.js ${hostFile} ${insideName}`);
      assert.equal(gate.status, 'pass', gate.output);
      const result = resultOf(gate.output);
      assert.equal(result.sawHost, false, "the host's /tmp is not visible");
      assert.equal(result.tmpdir, '/tmp');
      assert.ok(!existsSync(join('/tmp', insideName)), 'what it wrote to /tmp did not reach the host');
    } finally {
      rmSync(hostFile, { force: true });
    }
  });

  it('gets only the allow-listed environment', async () => {
    fx.write('env.js', probe('out.names = Object.keys(process.env).sort(); out.home = process.env.HOME; out.tmp = process.env.TMPDIR; out.values = Object.values(process.env);'));
    // Secrets under names the secret pattern of childEnvironment misses (H1 found these reaching gates)
    // go through the same commandEnvironment the reviewer uses: the allow-list still keeps them out.
    const user = { ...process.env, ...SECRETS_UNDER_PLAIN_NAMES, GITHUB_TOKEN: 'ghp_planted', DB_PASSWORD: 'hunter2', SOME_SETTING: 'x', NODE_OPTIONS: '--require /tmp/evil.js', SSH_AUTH_SOCK: '/tmp/agent.sock' };
    const env = { PATH: process.env.PATH, ...commandEnvironment(user), HOME: fx.home, LANG: 'C.UTF-8' };
    const gate = await fx.gate(`${process.execPath} env.js`, { env });
    assert.equal(gate.status, 'pass', gate.output);
    const result = resultOf(gate.output) as { names: string[]; home: string; tmp: string; values: string[] };
    const allowed = /^(HOME|LANG|LANGUAGE|LC_[A-Z_]+|PATH|PWD|TMPDIR|TERM|COLORTERM|NO_COLOR|FORCE_COLOR|TZ|CI|USER|LOGNAME|SHELL)$/;
    assert.deepEqual(result.names.filter((name) => !allowed.test(name)), [], `only allow-listed names: ${result.names.join(' ')}`);
    for (const name of [...Object.keys(SECRETS_UNDER_PLAIN_NAMES), 'GITHUB_TOKEN', 'DB_PASSWORD', 'SOME_SETTING', 'NODE_OPTIONS', 'SSH_AUTH_SOCK']) assert.ok(!result.names.includes(name), name);
    for (const value of Object.values(SECRETS_UNDER_PLAIN_NAMES)) assert.ok(!result.values.includes(value), `${value} reached the gate`);
    assert.equal(result.home, fx.home);
    assert.equal(result.tmp, '/tmp');
  });

  it("run_command's environment, built from a Flotilla process holding those secrets, has none of them", async () => {
    fx.write('values.js', probe('out.values = Object.values(process.env); out.names = Object.keys(process.env);'));
    const ctx = { root: fx.worktree, allowCommands: [`${process.execPath} values.js`], commandTimeoutMs: 60_000, maxReadBytes: 1024, maxWriteBytes: 1024, maxOutputBytes: 64 * 1024, sandbox: fx.policy() };
    // The default path: run_command builds the command's environment from this process's own.
    const saved = Object.fromEntries(Object.keys(SECRETS_UNDER_PLAIN_NAMES).map((name) => [name, process.env[name]]));
    Object.assign(process.env, SECRETS_UNDER_PLAIN_NAMES);
    let result: ToolResult;
    try {
      result = await executeTool('run_command', { command: `${process.execPath} values.js` }, ctx);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    assert.equal(result.isError, false, result.content);
    const seen = resultOf(result.content) as { values: string[]; names: string[] };
    assert.ok(seen.names.includes('PATH'), result.content);
    for (const [name, value] of Object.entries(SECRETS_UNDER_PLAIN_NAMES)) {
      assert.ok(!seen.names.includes(name), `${name} reached run_command`);
      assert.ok(!seen.values.includes(value), `${name}'s value reached run_command`);
    }
  });

  describe('a committed symbolic link to a test folder outside the worktree', () => {
    const evil = (marker: string) => `require('fs').writeFileSync(${JSON.stringify(marker)}, 'escaped'); console.log('EVIL RAN');\nrequire('node:test')('evil', () => {});\n`;
    const commitLink = (target: string, name: string) => {
      writeFileSync(join(target, 'evil.test.js'), evil(join(target, 'ESCAPED')));
      fx.write('test/ok.test.js', "require('node:test')('ok', () => {});\n");
      symlinkSync(target, join(fx.worktree, name));
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', 'add', '-A'], { cwd: fx.worktree });
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-qm', 'a link'], { cwd: fx.worktree });
    };

    it('into the main repository (or the storage, or a home): the folder is hidden, so node --test runs nothing from it', async () => {
      const target = join(fx.repo, 'shared-tests');
      mkdirSync(target);
      commitLink(target, 'shared');
      const gate = await fx.gate('node --test');
      assert.equal(gate.status, 'fail', gate.output);
      assert.match(gate.output, /Could not find .*\/shared/, 'the link leads nowhere inside');
      assert.ok(!gate.output.includes('EVIL RAN'), gate.output);
      assert.ok(!existsSync(join(target, 'ESCAPED')));
    });

    it('into any other folder: what runs there runs read-only, in the same sandbox, and changes nothing outside', async () => {
      // The rest of the file system is readable in the sandbox, as it is to any gate's own code; the
      // link adds no reach: the code there cannot write, has no key, no home and no network.
      const target = join(fx.outside, 'tests');
      mkdirSync(target);
      commitLink(target, 'more');
      const gate = await fx.gate('node --test');
      assert.ok(!existsSync(join(target, 'ESCAPED')), `it wrote outside:\n${gate.output}`);
      assert.match(gate.output, /EROFS/, gate.output);
    });
  });

  it('timeout and cancel end every process started inside, even one that left the process group', async () => {
    const spawner = (marker: string) =>
      `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { detached: true, stdio: 'ignore' }).unref(); require('fs').writeFileSync('started-${marker}', ''); setInterval(() => {}, 1000);\n`;
    const timeoutMarker = `flotilla-sandbox-timeout-${process.pid}-${Date.now()}`;
    fx.write('spawn-timeout.js', spawner(timeoutMarker));
    const timedOut = await fx.gate(`${process.execPath} spawn-timeout.js`, { timeoutMs: 3_000 });
    assert.equal(timedOut.status, 'timeout', timedOut.output);
    assert.ok(existsSync(join(fx.worktree, `started-${timeoutMarker}`)), 'the detached process was started');
    assert.ok(await waitFor(() => processesWith(timeoutMarker).length === 0, 5_000), `left running: ${processesWith(timeoutMarker).join(' ')}`);

    const cancelMarker = `flotilla-sandbox-cancel-${process.pid}-${Date.now()}`;
    fx.write('spawn-cancel.js', spawner(cancelMarker));
    const controller = new AbortController();
    const pending = fx.gate(`${process.execPath} spawn-cancel.js`, { signal: controller.signal });
    assert.ok(await waitFor(() => processesWith(cancelMarker).length > 0, 30_000), 'the detached process runs');
    controller.abort();
    assert.equal((await pending).status, 'cancelled');
    assert.ok(await waitFor(() => processesWith(cancelMarker).length === 0, 5_000), `left running: ${processesWith(cancelMarker).join(' ')}`);
  });

  it('git status works in the worktree; git cannot change the repository', async () => {
    fx.write('new.txt', 'x');
    fx.write(
      'git.js',
      probe(`const { spawnSync } = require('child_process'); const git = (...a) => spawnSync('git', a, { encoding: 'utf8' });
const status = git('status', '--porcelain'); out.status = status.status; out.porcelain = status.stdout;
out.branch = git('branch', 'flotilla-evil').status; out.commit = git('-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--allow-empty', '-qm', 'evil').status;`),
    );
    const gate = await fx.gate(`${process.execPath} git.js`);
    assert.equal(gate.status, 'pass', gate.output);
    const result = resultOf(gate.output) as { status: number; porcelain: string; branch: number; commit: number };
    assert.equal(result.status, 0);
    assert.match(result.porcelain, /\?\? new\.txt/);
    assert.notEqual(result.branch, 0);
    assert.notEqual(result.commit, 0);
    assert.equal(execFileSync('git', ['branch', '--list', 'flotilla-evil'], { cwd: fx.repo, encoding: 'utf8' }), '');
  });
});
