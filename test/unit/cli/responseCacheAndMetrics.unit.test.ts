import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoProject } from '../../../src/cli/demoCommand';
import { runCli } from '../../../src/cli/main';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import { readMetrics } from '../../../src/core/store/rebuildMetrics';

const quiet = { out: () => undefined, err: () => undefined };

describe('a second batch on the same tickets: response cache and learned outcomes', function () {
  this.timeout(120_000);

  it('reuses the shared plan and the reviews (cached ledger records, cost 0) and keeps metrics for the router', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-cache-'));
    const repo = join(dir, 'textkit');
    const storage = join(dir, 'storage');
    writeDemoProject(repo);
    const args = ['run', '--repo', repo, '--tickets', 'D1,D2,D4,D5', '--mode', 'orchestrated', '--storage', storage, '--simulate', '--json'];
    assert.equal(await runCli(args, quiet), 0);
    assert.ok(existsSync(join(storage, 'metrics.json')), 'metrics are rebuilt after a batch');
    assert.equal(await runCli(args, quiet), 0);

    const records: UsageRecord[] = [];
    await foldLedger(storage, (r) => void records.push(r));
    const batches = [...new Set(records.map((r) => r.batchId))];
    assert.equal(batches.length, 2);
    const [first, second] = batches.map((id) => records.filter((r) => r.batchId === id));
    assert.ok(first && second);
    assert.equal(first.filter((r) => r.cached).length, 0, 'the first batch had nothing to reuse');
    const plan = second.filter((r) => r.stage === 'plan');
    assert.deepEqual(plan.map((r) => [r.cached, r.costUsd, r.inputTokens]), [[true, 0, 0]], 'the plan came from the cache');
    const reviews = second.filter((r) => r.stage === 'review');
    assert.ok(reviews.length > 0 && reviews.every((r) => r.cached && r.costUsd === 0), 'identical diffs reuse their reviews');
    assert.equal(reviews.length, first.filter((r) => r.stage === 'review').length);

    const metrics = await readMetrics(storage);
    assert.ok(metrics);
    assert.ok(metrics.outcomes.some((o) => o.attempts >= 2), 'outcomes per (class, tier) accumulate across batches');
  });
});
