import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { engineFor, isolateClaudeConfig, scripted } from '../claudeCode/claudeCodeHarness';
import { gitIn, makeClient, makeRepo, workerRequest } from '../worker/workerHarness';
import { SECRETS_UNDER_PLAIN_NAMES, sandboxFixture, type SandboxFixture } from './sandboxFixture';

const PLANTED_KEY = `sk-ant-api03-planted-${process.pid}-${Date.now().toString(36)}`;

/** Issue 20 item 2: the `claude` process runs under the sandbox's profile, with the host's network for the proxy. */
describe('hostile Claude Code worker: claude and its Bash commands run in the sandbox', function () {
  this.timeout(120_000);
  isolateClaudeConfig();
  let sim: Simulator | undefined;
  let keyed: ChildProcess | undefined;
  let fx: SandboxFixture;
  beforeEach(() => {
    fx = sandboxFixture();
  });
  afterEach(async () => {
    keyed?.kill('SIGKILL');
    await sim?.close();
    fx.dispose();
  });

  it('its commands see no process holding a key and write nothing outside, while claude still reaches the metering proxy', async () => {
    // A process of this user holding a key in its environment, as Flotilla's own process does.
    keyed = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: { ...process.env, ANTHROPIC_API_KEY: PLANTED_KEY }, stdio: 'ignore' });
    const env = makeRepo();
    const escaped = join(fx.outside, 'ESCAPED');
    writeFileSync(
      join(env.repo, 'environ.js'),
      `const fs = require('fs'); const out = { pids: fs.readdirSync('/proc').filter((e) => /^\\d+$/.test(e)), hits: [] };
const needles = ['sk-ant-api03-planted', ...${JSON.stringify(Object.values(SECRETS_UNDER_PLAIN_NAMES))}];
for (const pid of out.pids) { try { const environ = fs.readFileSync('/proc/' + pid + '/environ', 'latin1'); out.read = (out.read ?? 0) + 1; for (const n of needles) if (environ.includes(n)) out.hits.push(pid + ':' + n); } catch {} }
try { fs.writeFileSync(${JSON.stringify(escaped)}, 'escaped'); out.wrote = true; } catch (e) { out.wrote = e.code; }
console.log('PROBE ' + JSON.stringify(out));\n`,
    );
    gitIn(env.repo, '-c', 'user.name=T', '-c', 'user.email=t@t', 'add', '.');
    gitIn(env.repo, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-qm', 'probe');
    const base = gitIn(env.repo, 'rev-parse', 'HEAD');
    sim = await startSimulator({
      responder: scripted((cwd) => [
        toolUseTurn('Bash', { command: 'node environ.js', description: 'probe' }),
        toolUseTurn('Write', { file_path: join(cwd, 'src/ok.ts'), content: 'export const ok = true;\n' }),
        textTurn('Probed.'),
      ]),
    });
    const records: UsageRecord[] = [];
    const engine = await engineFor(sim, records);
    // Secrets the secret pattern misses, in Flotilla's own environment, which claude's is built from.
    const saved = Object.fromEntries(Object.keys(SECRETS_UNDER_PLAIN_NAMES).map((name) => [name, process.env[name]]));
    Object.assign(process.env, SECRETS_UNDER_PLAIN_NAMES);
    try {
      const tools = { allowCommands: ['node environ.js'], commandTimeoutMs: 30_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000, sandbox: { allowNetwork: false, allowUnsandboxed: false, hidden: [env.storage] } };
      const result = await engine.run(workerRequest({ ...env, base }, makeClient(sim, []), { tools }));
      assert.equal(result.status, 'done', `${result.reason} — claude reached the proxy through the sandbox`);
      const transcript = readFileSync(result.transcriptFile, 'utf8');
      const line = /PROBE (\{[^\n]*?\})(?:\\n|")/.exec(transcript)?.[1];
      assert.ok(line, `the Bash command ran and printed its probe:\n${transcript}`);
      const probe = JSON.parse(line.replace(/\\"/g, '"')) as { pids: string[]; read: number; hits: string[]; wrote: unknown };
      assert.ok(probe.read >= 2, `the environ of claude and of the command were read: ${probe.read}`);
      assert.deepEqual(probe.hits, [], 'no visible process (claude, its command) holds the key or the planted secrets');
      assert.ok(probe.pids.length <= 10, `only the sandbox's processes are visible: ${probe.pids.join(' ')}`);
      assert.equal(probe.wrote, 'EROFS');
      assert.ok(!existsSync(escaped));
      assert.ok(records.length >= 2, 'every request was metered by the proxy');
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await engine.close();
    }
  });
});
