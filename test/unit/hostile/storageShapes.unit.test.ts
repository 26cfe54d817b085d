import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { CLI, ensureCliBuilt, runCliProcessWithin, type Ended } from './cliProcess';
import { assertRefused } from './hostileHarness';

/**
 * The CLI with `file` read-only: its mode says so, and for root (whom modes do not stop) a read-only
 * bind mount of it, made by bubblewrap (installed by the project's scripts), makes it so.
 */
function runWithReadOnlyFile(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  chmodSync(file, 0o444);
  if (process.getuid?.() !== 0) return runCliProcessWithin(args, env, 60_000);
  return new Promise((resolve) => {
    const child = spawn('bwrap', ['--dev-bind', '/', '/', '--ro-bind', file, file, 'node', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Storage folders of the wrong shape (issue 11, item 2): exit 2 naming the path, never a crash, nothing lost. */
describe('hostile storage shapes: exit 2 with the path and what to do', function () {
  this.timeout(60_000);
  let repo: string;
  before(() => {
    repo = makeDemoRepo();
  });

  const run = (storage: string) => cli('run', '--repo', repo, '--tickets', 'D1', '--mode', 'direct', '--simulate', '--storage', storage);
  const fileAt = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'a file, not a folder\n');
    return path;
  };

  for (const [shape, make] of [
    ['a file', () => fileAt(join(tempDir('shape'), 'storage'))],
    ['under a file', () => join(fileAt(join(tempDir('shape'), 'plain')), 'storage')],
    ['/dev/null', () => '/dev/null'],
  ] as const) {
    it(`--storage that is ${shape}: report, resume and run exit 2 naming it`, async () => {
      const storage = make();
      const escaped = storage.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      assertRefused(await cli('report', '--storage', storage), 2, new RegExp(`^flotilla report: .*${escaped}.*(not a folder|a file)`));
      assertRefused(await cli('resume', '--storage', storage, '--simulate'), 2, new RegExp(`^flotilla resume: .*${escaped}.*(not a folder|a file)`));
      assertRefused(await run(storage), 2, new RegExp(`^flotilla run: .*${escaped}.*(not a folder|a file)`));
    });
  }

  it('`ledger` that is a file: run and report exit 2 naming it; the file is untouched', async () => {
    const storage = join(tempDir('shape'), 'storage');
    const ledger = fileAt(join(storage, 'ledger'));
    assertRefused(await run(storage), 2, /^flotilla run: .*\/ledger\b.*(not a folder|a file)/);
    assert.ok(!existsSync(join(storage, 'batches')), 'no batch was started');
    assertRefused(await cli('report', '--storage', storage), 2, /^flotilla report: /);
    assert.equal(readFileSync(ledger, 'utf8'), 'a file, not a folder\n');
  });

  it('`batches` that is a file: run, report and resume exit 2 naming it', async () => {
    const storage = join(tempDir('shape'), 'storage');
    fileAt(join(storage, 'batches'));
    assertRefused(await run(storage), 2, /^flotilla run: .*\/batches\b.*(not a folder|a file)/);
    assertRefused(await cli('report', '--storage', storage), 2, /^flotilla report: .*\/batches\b.*(not a folder|a file)/);
    assertRefused(await cli('resume', '--storage', storage, '--simulate'), 2, /^flotilla resume: .*\/batches\b.*(not a folder|a file)/);
  });

  it('the month’s ledger file read-only: run is refused before any billed call (the simulator bills 0), exit 2 naming the file', async () => {
    ensureCliBuilt();
    const sim = await startSimulator({ responder: demoResponder() });
    const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-readonly-ledger-0123456789' };
    try {
      const storage = join(tempDir('ro-ledger'), 'storage');
      const first = await runCliProcessWithin(['run', '--repo', repo, '--tickets', 'D1', '--mode', 'direct', '--api-base', sim.url, '--storage', storage], env, 120_000);
      assert.equal(first.code, 0, first.stderr);
      const [month] = readdirSync(join(storage, 'ledger'));
      assert.ok(month);
      const ledger = join(storage, 'ledger', month);
      const lines = readFileSync(ledger, 'utf8');
      const billed = sim.billed().requests;
      const batches = readdirSync(join(storage, 'batches')).length;
      const r = await runWithReadOnlyFile(ledger, ['run', '--repo', repo, '--tickets', 'D2', '--mode', 'direct', '--api-base', sim.url, '--storage', storage], env);
      assertRefused({ code: r.code ?? -1, out: r.stdout.split('\n'), err: r.stderr.split('\n') }, 2, new RegExp(`^flotilla run: ${ledger.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: (permission denied|the file system is read-only)`));
      assert.equal(sim.billed().requests, billed, 'no call was billed');
      assert.equal(readdirSync(join(storage, 'batches')).length, batches, 'no batch was started');
      assert.equal(readFileSync(ledger, 'utf8'), lines);
    } finally {
      await sim.close();
    }
  });

  it('the month’s ledger file that is a FIFO: run and report exit 2 naming it within seconds (no read or append waits on it)', async () => {
    ensureCliBuilt();
    const storage = join(tempDir('shape'), 'storage');
    assert.equal((await run(storage)).code, 0);
    const [month] = readdirSync(join(storage, 'ledger'));
    assert.ok(month);
    const ledger = join(storage, 'ledger', month);
    rmSync(ledger);
    execFileSync('mkfifo', [ledger]);
    for (const args of [['run', '--repo', repo, '--tickets', 'D1', '--mode', 'direct', '--simulate', '--storage', storage], ['report', '--storage', storage]]) {
      const r = await runCliProcessWithin(args, process.env, 20_000);
      assert.equal(r.hung, false, `${args[0]} hung`);
      assertRefused({ code: r.code ?? -1, out: r.stdout.split('\n'), err: r.stderr.split('\n') }, 2, new RegExp(`^flotilla ${args[0]}: .*ledger/${month.replace('.', '\\.')} is a FIFO`));
    }
  });

  it('the month’s ledger file that is a folder: run and report exit 2 naming it; no ledger line is lost', async () => {
    const storage = join(tempDir('shape'), 'storage');
    assert.equal((await run(storage)).code, 0);
    const [month] = readdirSync(join(storage, 'ledger'));
    assert.ok(month);
    const kept = join(storage, 'kept.jsonl');
    renameSync(join(storage, 'ledger', month), kept);
    mkdirSync(join(storage, 'ledger', month));
    const lines = readFileSync(kept, 'utf8');
    const batches = readdirSync(join(storage, 'batches')).length;
    assertRefused(await run(storage), 2, new RegExp(`^flotilla run: .*ledger/${month.replace('.', '\\.')}.*folder`));
    assertRefused(await cli('report', '--storage', storage), 2, new RegExp(`^flotilla report: .*ledger/${month.replace('.', '\\.')}.*folder`));
    assert.equal(readdirSync(join(storage, 'batches')).length, batches, 'no batch was started');
    assert.equal(readFileSync(kept, 'utf8'), lines);
  });
});
