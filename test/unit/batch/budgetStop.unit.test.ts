import assert from 'node:assert/strict';
import type { ModelPrice } from '../../../src/core/llm/pricing';
import { DEFAULT_TIER_MODELS } from '../../../src/core/llm/tiers';
import { BudgetGuard } from '../../../src/core/store/budget';
import { recordOf, runScriptedBatch, ticket, type BatchRun } from './batchHarness';

/*
 * Issue 7: "with a hard limit between the cost of ticket 2 and ticket 3, spend never exceeds the limit".
 * At list prices a worker call's worst case (8,192 output tokens) dwarfs what a scripted ticket costs,
 * so the guard would stop before ticket 1. Pricing output at zero makes the worst case the prompt
 * estimate alone — close to the real cost — so tickets 1 and 2 fit and ticket 3 is where it stops.
 */
const FLAT: ModelPrice = { input: 1, output: 0, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 };
const TICKETS = [ticket('T1', { model: 'fast', priority: 1 }), ticket('T2', { model: 'fast', priority: 2 }), ticket('T3', { model: 'fast', priority: 3 })];
const settings = { 'batch.concurrency': 1, 'llm.pricing': { [DEFAULT_TIER_MODELS.fast]: FLAT } };

function guard(batchUsd: number | null): BudgetGuard {
  return new BudgetGuard({ limits: { monthlyUsd: null, batchUsd }, monthSpentUsd: 0, month: '2026-11', alerts: { wasShown: async () => false, markShown: async () => undefined } });
}

function costsInOrder(run: BatchRun): { id: string; usd: number }[] {
  const order: { id: string; usd: number }[] = [];
  for (const r of run.tally.all('B1')) {
    const id = r.ticketId ?? '(batch)';
    let entry = order.find((e) => e.id === id);
    if (!entry) order.push((entry = { id, usd: 0 }));
    entry.usd += r.costUsd ?? 0;
  }
  return order;
}

describe('runBatch: a hard batch budget between the cost of ticket 2 and ticket 3', function () {
  this.timeout(30_000);

  it('finishes tickets 1 and 2, stops at ticket 3, never spends past the limit', async () => {
    const unlimited = await runScriptedBatch({ tickets: TICKETS, settings, guard: guard(null) });
    assert.equal(unlimited.summary.state, 'done');
    const costs = costsInOrder(unlimited);
    assert.deepEqual(costs.map((c) => c.id), ['T1', 'T2', 'T3']);
    const [c1, c2, c3] = costs.map((c) => c.usd) as [number, number, number];
    const limit = c1 + c2 + c3 / 2;

    const limited = await runScriptedBatch({ tickets: TICKETS, settings, guard: guard(limit) });
    const spent = limited.tally.totals({ batchId: 'B1' }).costUsd ?? Infinity;
    assert.ok(spent <= limit, `spent ${spent} > limit ${limit}`);
    assert.ok(spent >= c1 + c2 - 1e-12, 'tickets 1 and 2 were paid for');
    assert.equal(limited.summary.state, 'stopped-by-budget');
    assert.equal(recordOf(limited, 'T1').state, 'done');
    assert.equal(recordOf(limited, 'T2').state, 'done');
    const t3 = recordOf(limited, 'T3');
    assert.equal(t3.state, 'failed');
    assert.match(t3.detail, /stopped by budget: The batch budget of \$\d+\.\d+ would be crossed/);
  });
});
