import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { makeDemoRepo, readLedger, tempDir } from '../cli/cliHarness';
import { assertLedgerGrewAsBilled, ensureCliBuilt, paidAndBilled, runCliProcess, startCliProcess } from './cliProcess';

const recordsSchema = z.record(z.string(), z.looseObject({ state: z.string(), resumable: z.boolean().optional() }));

/** Issue 11 item 3: one Ctrl-C must not make a batch impossible to resume. */
describe('hostile: Ctrl-C in the middle of a batch, then flotilla resume', function () {
  this.timeout(180_000);
  let sim: Simulator;
  before(ensureCliBuilt);
  afterEach(async () => sim?.close());

  it('reruns the cancelled tickets (saying which and why), finishes every ticket and pays no finished ticket twice', async () => {
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 100 });
    const repo = makeDemoRepo();
    const storage = join(tempDir('ctrlc'), 'storage');
    const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-ctrlc-0123456789' };

    const run = startCliProcess(['run', '--repo', repo, '--all', '--storage', storage, '--api-base', sim.url, '--concurrency', '2', '--mode', 'direct', '--json'], env);
    const first = await run.untilTicket((t) => t.state === 'done');
    run.child.kill('SIGINT');
    const cancelled = await run.ended;
    assert.equal(cancelled.signal, null, cancelled.stderr);
    assert.equal(cancelled.code, 1, cancelled.stderr);

    const store = new BatchStateStore({ storage });
    const [batch] = (await store.list()).batches;
    assert.ok(batch);
    assert.equal(batch.state.status, 'cancelled');
    const done = batch.state.ticketIds.filter((id) => batch.state.tickets[id]?.status === 'done');
    const left = batch.state.ticketIds.filter((id) => !done.includes(id));
    assert.ok(done.includes(first.id));
    assert.ok(left.length > 0, 'the Ctrl-C left tickets unfinished');
    const records = recordsSchema.parse(batch.state.extra.records);
    for (const id of left) {
      assert.equal(batch.state.tickets[id]?.status, 'cancelled', `${id} was cancelled`);
      assert.equal(records[id]?.resumable, true, `${id} is marked resumable in extra.records`);
    }
    const paidBefore = readLedger(storage).length;
    const usageBefore = await paidAndBilled(storage, sim);

    const resumed = await runCliProcess(['resume', '--storage', storage, '--api-base', sim.url, '--json'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`^resuming batch ${batch.state.id}: ${done.length} finished ticket\\(s\\) kept \\(${done.map((id) => `${id} done`).join(', ')}\\), running ${left.join(', ')}$`, 'm'));
    for (const id of left) assert.match(resumed.stderr, new RegExp(`^  ${id} runs again: cancelled before it finished$`, 'm'));

    const final = await store.load(batch.state.id);
    assert.ok(final);
    assert.equal(final.state.status, 'done');
    assert.deepEqual(final.state.ticketIds.map((id) => final.state.tickets[id]?.status), final.state.ticketIds.map(() => 'done'));
    const paidByResume = readLedger(storage).slice(paidBefore);
    assert.ok(paidByResume.length > 0);
    assert.deepEqual(paidByResume.filter((r) => r.ticketId !== null && done.includes(r.ticketId)), [], 'no finished ticket is paid again');
    for (const id of done) {
      const transcript: string = readFileSync(join(storage, 'batches', batch.state.id, 'transcripts', `${id}.jsonl`), 'utf8');
      assert.equal(transcript.split('\n').filter((l) => l.includes('"kind":"start"')).length, 1, `${id}'s worker started once`);
    }
    assertLedgerGrewAsBilled(usageBefore, await paidAndBilled(storage, sim));
  });
});
