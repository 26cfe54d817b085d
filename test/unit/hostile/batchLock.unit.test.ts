import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { batchLockFile } from '../../../src/core/store/batchLock';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { makeDemoRepo, tempDir } from '../cli/cliHarness';
import { assertLedgerGrewAsBilled, cancelledDemoBatch, ensureCliBuilt, paidAndBilled, runCliProcess, startCliProcess } from './cliProcess';

/** How many times each ticket's worker started, from its transcripts. */
function workerStarts(storage: string, batchId: string): Record<string, number> {
  const dir = join(storage, 'batches', batchId, 'transcripts');
  return Object.fromEntries(
    readdirSync(dir).map((name) => [name.replace(/\.jsonl$/, ''), readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l.includes('"kind":"start"')).length]),
  );
}

/** Issue 11 item 4: two resumes of one batch must not both run it; a dead holder must not block it. */
describe('hostile: the batch lock (two resumes at once, a stale lock)', function () {
  this.timeout(180_000);
  let sim: Simulator;
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-lock-0123456789' };
  before(ensureCliBuilt);
  beforeEach(async () => {
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 100 });
  });
  afterEach(async () => sim.close());

  it('two resumes started together: one runs the batch, the other refuses in one line naming the batch and its pid (exit 2)', async () => {
    const batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('lock2'), 'storage'), apiBase: sim.url, env });
    assert.equal(existsSync(batchLockFile(batch.storage, batch.batchId)), false, 'the cancelled run released its lock');
    const before = workerStarts(batch.storage, batch.batchId);
    const usageBefore = await paidAndBilled(batch.storage, sim);

    const resumes = [0, 1].map(() => startCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url, '--json'], env));
    const ended = await Promise.all(resumes.map((r) => r.ended));
    const winner = ended.findIndex((e) => e.code === 0);
    const loser = ended.findIndex((e) => e.code === 2);
    assert.ok(winner >= 0 && loser >= 0, ended.map((e) => `${e.code}: ${e.stderr}`).join('\n'));
    const refusal = ended[loser]?.stderr.trim() ?? '';
    assert.equal(refusal.split('\n').length, 1, refusal);
    assert.match(refusal, new RegExp(`^flotilla resume: batch ${batch.batchId} is being resumed by process ${resumes[winner]?.child.pid} since \\S+\\. Wait for it to end, or stop that process first\\.$`));
    assert.equal(ended[loser]?.stdout, '', 'the refused resume ran nothing');

    const final = await new BatchStateStore({ storage: batch.storage }).load(batch.batchId);
    assert.ok(final);
    assert.deepEqual(final.state.ticketIds.map((id) => final.state.tickets[id]?.status), final.state.ticketIds.map(() => 'done'));
    const after = workerStarts(batch.storage, batch.batchId);
    assert.deepEqual(Object.keys(after).filter((id) => (after[id] ?? 0) - (before[id] ?? 0) > 1), [], 'no ticket ran twice');
    assertLedgerGrewAsBilled(usageBefore, await paidAndBilled(batch.storage, sim));
    assert.equal(existsSync(batchLockFile(batch.storage, batch.batchId)), false, 'the winner released the lock');
  });

  it('a lock left by a dead process is taken over, said in one line, and released at the end', async () => {
    const batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('lockstale'), 'storage'), apiBase: sim.url, env });
    // A process that ran and is gone holds the lock, as after a kill -9 in the middle of a resume.
    const gone = spawnSync('node', ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const since = new Date(Date.now() - 5_000).toISOString();
    writeFileSync(
      batchLockFile(batch.storage, batch.batchId),
      JSON.stringify({ v: 1, batchId: batch.batchId, purpose: 'resume', pid: deadPid, hostname: hostname(), processStartedAt: since, processStartTicks: 1, acquiredAt: since, token: 'dead' }),
    );
    const usageBefore = await paidAndBilled(batch.storage, sim);
    const resumed = await runCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url, '--json'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const lines = resumed.stderr.split('\n').filter((l) => l.includes('took over the lock'));
    assert.deepEqual(lines, [`batch ${batch.batchId}: took over the lock of process ${deadPid} (a resume since ${since}), which is no longer running`]);
    assert.equal(existsSync(batchLockFile(batch.storage, batch.batchId)), false);
    assertLedgerGrewAsBilled(usageBefore, await paidAndBilled(batch.storage, sim));
  });
});
