import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import type { TierAttempt } from '../../../src/core/store/batchState';
import { outcomesTableSchema } from '../../../src/core/routing/outcomesTable';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { UsageLedger } from '../../../src/core/store/ledgerWriter';
import { foldMetrics } from '../../../src/core/store/metricsFold';
import { metricsSchema } from '../../../src/core/store/metricsSchema';
import { readMetrics, rebuildMetrics } from '../../../src/core/store/rebuildMetrics';
import { ledgerFile } from '../../../src/core/store/storagePaths';
import type { TicketOutcome } from '../../../src/core/store/ticketOutcome';
import { fakeClock, usageRecord, useTempDir } from './storeTestKit';

const attempt = (over: Partial<TierAttempt> = {}): TierAttempt => ({
  tier: 'fast', model: 'm-fast', startedAt: '2025-06-15T10:00:00Z', endedAt: '2025-06-15T10:10:00Z', fixLoops: 0, result: 'passed', costUsd: 0.1, ...over,
});
const outcome = (ticketId: string, complexityClass: TicketOutcome['complexityClass'], attempts: TierAttempt[]): TicketOutcome => ({
  batchId: 'b1', ticketId, complexityClass, status: 'done', attempts,
});

describe('metrics fold', () => {
  it('sums calls, tokens and cost per (model, class), with first-pass rate, fix loops and durations', () => {
    const outcomes = [
      outcome('T1', 'mechanical', [attempt()]),
      outcome('T2', 'mechanical', [attempt({ result: 'failed', fixLoops: 2 }), attempt({ tier: 'strong', model: 'm-strong', fixLoops: 1 })]),
      // The clock jumped back during this attempt: its duration counts as 0, not negative.
      outcome('T3', 'complex', [attempt({ startedAt: '2025-06-15T11:00:00Z', endedAt: '2025-06-15T10:00:00Z' })]),
    ];
    const records = [
      usageRecord({ ticketId: 'T1', model: 'm-fast', costUsd: 0.1, inputTokens: 100, outputTokens: 10 }),
      usageRecord({ ticketId: 'T2', model: 'm-fast', costUsd: 0.2, inputTokens: 300, outputTokens: 30, cacheReadTokens: 50 }),
      usageRecord({ ticketId: 'T2', model: 'm-strong', costUsd: null }),
      usageRecord({ ticketId: null, stage: 'plan', model: 'm-strong', costUsd: 1 }),
      usageRecord({ ticketId: 'T9', batchId: 'other', model: 'm-fast', costUsd: 0.5 }),
    ];
    const m = foldMetrics(records, outcomes, '2025-06-16T00:00:00.000Z');
    assert.deepEqual(metricsSchema.parse(m), m);
    const row = (model: string, cls: string) => m.byModelClass.find((r) => r.model === model && r.class === cls);
    const fastMech = row('m-fast', 'mechanical')!;
    assert.deepEqual(
      [fastMech.calls, fastMech.attempts, fastMech.firstPassSuccesses, fastMech.firstPassRate, fastMech.fixLoops, fastMech.inputTokens, fastMech.cacheReadTokens, fastMech.durationMs],
      [2, 2, 1, 0.5, 2, 400, 50, 20 * 60_000],
    );
    assert.ok(Math.abs(fastMech.costUsd - 0.3) < 1e-12);
    const strongMech = row('m-strong', 'mechanical')!;
    assert.deepEqual([strongMech.calls, strongMech.unpricedCalls, strongMech.firstPassSuccesses, strongMech.fixLoops], [1, 1, 0, 1], 'passed after a fix loop is not first-pass');
    assert.equal(row('m-fast', 'complex')!.durationMs, 0);
    assert.equal(row('m-strong', 'unclassified')!.costUsd, 1, 'shared planning has no class');
    assert.equal(row('m-fast', 'unclassified')!.calls, 1, 'a ticket without an outcome is unclassified');
    assert.equal(m.totals.calls, 5);
    assert.equal(m.totals.unpricedCalls, 1);
    assert.deepEqual(m.modelMix.map((x) => x.model), ['m-strong', 'm-fast']);
    const rows = outcomesTableSchema.parse(m.outcomes);
    assert.deepEqual(
      rows.map((r) => [r.class, r.tier, r.successes, r.attempts, r.fixLoops]),
      [
        ['mechanical', 'fast', 1, 2, 2],
        ['mechanical', 'strong', 0, 1, 1],
        ['complex', 'fast', 1, 1, 0],
      ],
    );
    assert.ok(m.suggestions.some((s) => s.id === 'unpriced-model' && /1 calls to m-strong/.test(s.message)));
  });

  it('derives the cache hit rate from the ledger and suggests a fix below 50%', () => {
    const records = [
      ...Array.from({ length: 8 }, () => usageRecord({ stage: 'review', cached: true, costUsd: 0 })),
      ...Array.from({ length: 12 }, () => usageRecord({ stage: 'classify' })),
      usageRecord({ stage: 'review', attempt: 2 }),
      usageRecord({ stage: 'work' }),
    ];
    const m = foldMetrics(records, [], '2025-06-16T00:00:00.000Z');
    assert.deepEqual(m.cache, { lookups: 20, hits: 8, hitRate: 0.4 });
    assert.equal(m.totals.calls, 14, 'cache hits are not model calls');
    const s = m.suggestions.find((x) => x.id === 'low-cache-hit-rate');
    assert.match(s?.message ?? '', /^cache hit rate 40% \(8 of 20/);
  });

  it('reports the start tier per class and flags the strong tier on mechanical tickets', () => {
    const outcomes = [
      ...Array.from({ length: 9 }, (_, i) => outcome(`S${i}`, 'mechanical', [attempt({ tier: 'strong', model: 'm-strong' })])),
      ...Array.from({ length: 11 }, (_, i) => outcome(`F${i}`, 'mechanical', [attempt({ result: i < 10 ? 'passed' : 'failed' })])),
    ];
    const m = foldMetrics([], outcomes, '2025-06-16T00:00:00.000Z');
    assert.deepEqual(m.startTierByClass.filter((r) => r.class === 'mechanical').map((r) => [r.tier, r.tickets]), [['fast', 11], ['balanced', 0], ['strong', 9]]);
    const s = m.suggestions.find((x) => x.id === 'strong-tier-overuse');
    assert.equal(s?.message, 'strong tier used for 45% of mechanical tickets; the fast tier passed 91% of them first time (10/11).');
  });
});

describe('rebuildMetrics', () => {
  const dir = useTempDir();

  it('rebuilds metrics.json from batch states and the ledger, skipping bad lines, the same way every time', async () => {
    const clock = fakeClock();
    const store = new BatchStateStore({ storage: dir.path, clock: clock.now });
    await store.create({ id: 'b1', mode: 'orchestrated', ticketIds: ['T1'], baseCommit: null });
    await store.update('b1', (s) => {
      s.tickets.T1 = { ...s.tickets.T1!, status: 'done', complexityClass: 'standard', tierHistory: [attempt()], costUsd: 0.1 };
      return s;
    });
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ ticketId: 'T1', model: 'm-fast' }));
    await ledger.append(usageRecord({ ticketId: 'T1', model: 'm-fast', ts: '2025-07-01T00:00:00Z' }));
    await ledger.close();
    await appendFile(ledgerFile(dir.path, '2025-07'), 'garbage\n');

    const first = await rebuildMetrics({ storage: dir.path, globalStorage: dir.path, clock: clock.now });
    assert.deepEqual(first.problems.map((p) => p.line), [2]);
    assert.deepEqual(first.metrics.source, { records: 2, ledgerProblems: 1, batches: 1, tickets: 1 });
    assert.equal(first.metrics.byModelClass.find((r) => r.class === 'standard')?.calls, 2);
    assert.deepEqual(await readMetrics(dir.path), first.metrics);
    const second = await rebuildMetrics({ storage: dir.path, globalStorage: dir.path, clock: clock.now });
    assert.deepEqual(second.metrics, first.metrics);
  });
});
