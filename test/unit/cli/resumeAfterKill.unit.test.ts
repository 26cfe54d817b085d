import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeDemoProject } from '../../../src/cli/demoCommand';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

const ROOT = join(__dirname, '../../..');
const CLI = join(ROOT, 'dist/cli.js');

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('flotilla run killed with SIGKILL, then flotilla resume', function () {
  this.timeout(120_000);
  let sim: Simulator;
  before(() => {
    if (!existsSync(CLI)) execFileSync('node', ['esbuild.mjs'], { cwd: ROOT });
  });
  afterEach(async () => sim?.close());

  it('keeps finished tickets, reruns the rest once, and the ledger equals what the API billed', async () => {
    // The simulator runs in this process, so what it billed survives the CLI being killed.
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 100 });
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-kill-'));
    const repo = join(dir, 'textkit');
    const storage = join(dir, 'storage');
    writeDemoProject(repo);
    const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-kill-0123456789' };

    const child = spawn('node', [CLI, 'run', '--repo', repo, '--all', '--storage', storage, '--api-base', sim.url, '--concurrency', '1', '--mode', 'direct', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstDone: { id: string; commit: string } | undefined;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      const event = JSON.parse(line) as { type: string; ticket?: { id: string; state: string; commit: string } };
      if (event.type === 'ticket-state' && event.ticket?.state === 'done') {
        firstDone = { id: event.ticket.id, commit: event.ticket.commit };
        child.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, 'SIGKILL');
    assert.ok(firstDone, 'a ticket finished before the kill');

    const store = new BatchStateStore({ storage });
    const [killed] = (await store.list()).batches;
    assert.ok(killed);
    assert.equal(killed.interrupted, true, 'the batch shows as interrupted after the kill');
    assert.equal(killed.state.tickets[firstDone.id]?.status, 'done');
    assert.equal(killed.state.tickets[firstDone.id]?.branch?.endsWith(`/${firstDone.id}`), true);

    // Not spawnSync: the simulator lives in this process and must keep answering.
    const resumed = await runNode([CLI, 'resume', '--storage', storage, '--api-base', sim.url, '--json'], env);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming batch ${killed.state.id}: 1 finished ticket\\(s\\) kept \\(${firstDone.id} done\\)`));
    const reruns = resumed.stderr.split('\n').filter((l) => l.startsWith('  '));
    assert.equal(reruns.length, killed.state.ticketIds.length - 1, resumed.stderr);
    for (const line of reruns) assert.match(line, /^ {2}\S+ runs again: (cut off while running: its process stopped|had not started)$/, 'each ticket that runs again is named with why');

    const final = await store.load(killed.state.id);
    assert.ok(final);
    assert.equal(final.state.status, 'done');
    assert.deepEqual(final.state.ticketIds.map((id) => final.state.tickets[id]?.status), final.state.ticketIds.map(() => 'done'));
    // The finished ticket was not run again: same commit, one worker start in its transcript.
    assert.equal(execFileSync('git', ['rev-parse', `flotilla/${killed.state.id}/${firstDone.id}`], { cwd: repo, encoding: 'utf8' }).trim(), firstDone.commit);
    const transcript = readFileSync(join(storage, 'batches', killed.state.id, 'transcripts', `${firstDone.id}.jsonl`), 'utf8');
    assert.equal(transcript.split('\n').filter((l) => l.includes('"kind":"start"')).length, 1);

    // No loss, no double count: the ledger holds exactly what the simulator billed.
    const ledger = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, requests: 0 };
    const scan = await foldLedger(storage, (r) => {
      ledger.inputTokens += r.inputTokens;
      ledger.outputTokens += r.outputTokens;
      ledger.cacheReadTokens += r.cacheReadTokens;
      ledger.cacheWrite5mTokens += r.cacheWrite5mTokens;
      if (r.requestId !== null) ledger.requests += 1;
    });
    assert.deepEqual(scan.problems, []);
    const billed = sim.billed();
    assert.deepEqual(ledger, {
      inputTokens: billed.inputTokens,
      outputTokens: billed.outputTokens,
      cacheReadTokens: billed.cacheReadTokens,
      cacheWrite5mTokens: billed.cacheWrite5mTokens,
      requests: billed.requests,
    });
    assert.ok(existsSync(join(storage, 'batches', killed.state.id, 'execution-log.yaml')));
  });
});
