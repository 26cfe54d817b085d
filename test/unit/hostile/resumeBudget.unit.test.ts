import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readBatchBudget } from '../../../src/core/batch/batchBudget';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { makeDemoRepo, readLedger, tempDir } from '../cli/cliHarness';
import { cancelledDemoBatch, ensureCliBuilt, runCliProcess } from './cliProcess';

const spentBy = (storage: string, batchId: string): number => readLedger(storage).reduce((n, r) => n + (r.batchId === batchId ? (r.costUsd ?? 0) : 0), 0);

async function storedBudget(storage: string, batchId: string): Promise<number | null> {
  const loaded = await new BatchStateStore({ storage }).load(batchId);
  assert.ok(loaded);
  return readBatchBudget(loaded.state).batchUsd;
}

/** Issue 11 item 5: the budget is part of the batch and applies on resume. */
describe('hostile: a budget survives Ctrl-C and resume', function () {
  this.timeout(240_000);
  let sim: Simulator;
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-budget-0123456789' };
  before(ensureCliBuilt);
  beforeEach(async () => {
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 100 });
  });
  afterEach(async () => sim.close());

  it('run --budget-usd 0.011, Ctrl-C, resume: stops by budget (exit 3) like the uninterrupted run, counting what was spent before', async () => {
    const whole = await runCliProcess(['run', '--repo', makeDemoRepo(), '--all', '--storage', join(tempDir('budget-whole'), 'storage'), '--api-base', sim.url, '--concurrency', '2', '--mode', 'direct', '--budget-usd', '0.011'], env);
    assert.equal(whole.code, 3, `the uninterrupted run stops by budget: ${whole.stderr}`);

    const batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('budget'), 'storage'), apiBase: sim.url, env, extraArgs: ['--budget-usd', '0.011'] });
    assert.equal(batch.run.code, 1, `cancelled before the budget stopped it: ${batch.run.stderr}`);
    assert.equal(await storedBudget(batch.storage, batch.batchId), 0.011, 'extra.budget.batchUsd');
    const before = spentBy(batch.storage, batch.batchId);
    assert.ok(before > 0 && before <= 0.011, `spent before the resume: ${before}`);

    const resumed = await runCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url], env);
    assert.equal(resumed.code, 3, resumed.stderr);
    assert.match(`${resumed.stdout}\n${resumed.stderr}`, /batch budget of \$0\.011 would be crossed/);
    assert.doesNotMatch(resumed.stderr, /budget raised/);
    const total = spentBy(batch.storage, batch.batchId);
    assert.ok(total > before, 'the resume ran until the budget stopped it');
    assert.ok(total <= 0.011, `the whole batch, both runs, stays within $0.011: $${total}`);
  });

  it('resume --budget-usd lowers the budget quietly; raising it is said in one line on stderr', async () => {
    const batch = await cancelledDemoBatch({ repo: makeDemoRepo(), storage: join(tempDir('budget-change'), 'storage'), apiBase: sim.url, env, extraArgs: ['--budget-usd', '0.011'] });
    const before = spentBy(batch.storage, batch.batchId);

    const lowered = await runCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url, '--budget-usd', '0.004'], env);
    assert.equal(lowered.code, 3, lowered.stderr);
    assert.doesNotMatch(lowered.stderr, /budget raised/);
    assert.equal(await storedBudget(batch.storage, batch.batchId), 0.004, 'the lowered budget is kept for the next resume');
    assert.ok(spentBy(batch.storage, batch.batchId) <= Math.max(before, 0.004), 'nothing was spent past the lowered budget');

    const raised = await runCliProcess(['resume', '--storage', batch.storage, '--api-base', sim.url, '--budget-usd', '5'], env);
    assert.equal(raised.code, 0, raised.stderr);
    assert.deepEqual(
      raised.stderr.split('\n').filter((l) => /raised/.test(l)),
      [`batch ${batch.batchId}: budget raised from $0.004 to $5.00 (what it spent before counts towards it)`],
    );
    assert.match(raised.stderr, /^ {2}D\d runs again: stopped by budget: The batch budget of \$0\.004 would be crossed$/m, 'tickets the budget stopped are named with why, in a few words');
    assert.equal(await storedBudget(batch.storage, batch.batchId), 5);

    const bad = await runCliProcess(['resume', '--storage', batch.storage, '--budget-usd', '0x10'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^flotilla resume: --budget-usd 0x10: a positive amount in USD/);
  });
});
