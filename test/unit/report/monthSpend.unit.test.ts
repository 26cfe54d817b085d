import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveMonthSpend } from '../../../src/core/report/liveMonthSpend';
import { forecastMonthEnd, monthBounds } from '../../../src/core/report/monthForecast';
import { MonthSpendTally } from '../../../src/core/report/monthSpendTally';
import { budgetStatusView } from '../../../src/core/report/budgetStatus';
import { monthSpend } from '../../../src/core/store/ledgerReader';
import { reservation, tempStorage, usage, writeLedger } from './reportFixtures';

describe('month spend by model and workspace', () => {
  it('sums cost and tokens per model and per workspace, most expensive first', () => {
    const tally = new MonthSpendTally('2026-03');
    tally.add(usage({ model: 'haiku', costUsd: 0.1, workspace: '/a/one' }));
    tally.add(usage({ model: 'sonnet', costUsd: 0.5, workspace: '/a/two' }));
    tally.add(usage({ model: 'sonnet', costUsd: 0.25, workspace: '/a/one' }));
    const s = tally.snapshot();
    assert.equal(s.calls, 3);
    assert.ok(Math.abs(s.costUsd - 0.85) < 1e-9);
    assert.equal(s.tokens, 3 * 1500);
    assert.deepEqual(s.byModel.map((m) => [m.key, m.calls]), [['sonnet', 2], ['haiku', 1]]);
    assert.deepEqual(s.byWorkspace.map((w) => w.key), ['/a/two', '/a/one']);
  });

  it('leaves out cache hits and other months, and counts unpriced calls without guessing', () => {
    const tally = new MonthSpendTally('2026-03');
    assert.equal(tally.add(usage({ cached: true })), false);
    assert.equal(tally.add(usage({ ts: '2026-02-28T23:59:59.000Z' })), false);
    assert.equal(tally.add(usage({ ts: 'garbage' })), false);
    assert.equal(tally.add(usage({ costUsd: null, model: 'mystery' })), true);
    const s = tally.snapshot();
    assert.equal(s.calls, 1);
    assert.equal(s.costUsd, 0);
    assert.equal(s.unpricedCalls, 1);
    assert.equal(s.byModel[0]?.unpricedCalls, 1);
  });
});

describe('simulated spend', () => {
  it('is kept out of the month spend, its shares and the forecast, and counted apart', () => {
    const tally = new MonthSpendTally('2026-03');
    tally.add(usage({ model: 'sonnet', costUsd: 0.5 }));
    tally.add(usage({ model: 'haiku', costUsd: 0.2, simulated: true }));
    tally.add(usage({ model: 'haiku', costUsd: 0.3, simulated: true }));
    const s = tally.snapshot();
    assert.equal(s.calls, 1);
    assert.equal(s.costUsd, 0.5);
    assert.deepEqual(s.byModel.map((m) => m.key), ['sonnet']);
    assert.equal(s.simulated.calls, 2);
    assert.ok(Math.abs(s.simulated.costUsd - 0.5) < 1e-9);
    const view = budgetStatusView({ spend: s, monthlyUsd: 1, softAlertPercent: 80, display: 'usd', running: false, nowMs: Date.parse('2026-03-16T00:00:00Z') });
    assert.equal(view.text, '$(pulse) $0.50 / $1');
    assert.match(view.tooltip, /Month-end forecast at this pace: \$1\.0\d\b/);
    assert.match(view.tooltip, /Simulated model \(not billed, not in the totals above\): 2 calls, \$0\.50 at Claude prices/);
  });

  it('is not month spend for the budget guard either (ledger read)', async () => {
    const storage = tempStorage();
    writeLedger(storage, '2026-03', [usage({ costUsd: 0.4 }), usage({ costUsd: 5, simulated: true })]);
    const spend = await monthSpend(storage, '2026-03');
    assert.ok(Math.abs(spend.spentUsd - 0.4) < 1e-9);
  });
});

describe('month-end forecast', () => {
  it('extends the pace so far to the end of the month (UTC)', () => {
    const { startMs, endMs } = monthBounds('2026-04');
    assert.equal(new Date(startMs).toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(new Date(endMs).toISOString(), '2026-05-01T00:00:00.000Z');
    // 10 of 30 days gone, $10 spent → $30.
    assert.ok(Math.abs(forecastMonthEnd(10, '2026-04', Date.UTC(2026, 3, 11)) - 30) < 1e-9);
  });

  it('counts at least one day so the first hour does not forecast a fortune, and ends at the spend', () => {
    const oneHourIn = Date.UTC(2026, 3, 1, 1);
    assert.ok(Math.abs(forecastMonthEnd(1, '2026-04', oneHourIn) - 30) < 1e-9);
    assert.equal(forecastMonthEnd(7, '2026-04', Date.UTC(2026, 5, 1)), 7);
    assert.throws(() => monthBounds('2026-13'), RangeError);
  });
});

describe('LiveMonthSpend', () => {
  const now = Date.parse('2026-03-15T12:00:00.000Z');

  it('is null until loaded, then folds only the current month of the ledger', async () => {
    const storage = tempStorage();
    writeLedger(storage, '2026-02', [usage({ ts: '2026-02-10T00:00:00.000Z', costUsd: 9 })]);
    writeLedger(storage, '2026-03', [usage({ costUsd: 1 }), usage({ costUsd: 2, model: 'haiku' })]);
    appendFileSync(join(storage, 'ledger', '2026-03.jsonl'), '{"torn":');
    const live = new LiveMonthSpend({ globalStorage: storage, clock: () => now });
    assert.equal(live.snapshot(), null);
    await live.ensureLoaded();
    assert.equal(live.snapshot()?.costUsd, 3);
    assert.equal(live.problems().length, 1, 'the torn line is reported');
    assert.equal(live.add(usage({ ts: '2026-03-15T12:00:00.000Z', costUsd: 0.5, requestId: 'req_new' })), true);
    assert.equal(live.snapshot()?.costUsd, 3.5);
  });

  it('counts a record fired during the fold once, whether or not the fold read it', async () => {
    const storage = tempStorage();
    const onDisk = usage({ ts: '2026-03-15T11:59:59.000Z', costUsd: 1, requestId: 'req_disk' });
    writeLedger(storage, '2026-03', [onDisk]);
    const live = new LiveMonthSpend({ globalStorage: storage, clock: () => now });
    const loading = live.ensureLoaded();
    assert.equal(live.add(onDisk), false, 'queued while the fold runs');
    live.add(usage({ ts: '2026-03-15T12:00:00.000Z', costUsd: 2, requestId: 'req_late' }));
    await loading;
    assert.equal(live.snapshot()?.costUsd, 3);
    assert.equal(live.snapshot()?.calls, 2);
  });

  it('counts a call a kill left without a usage record at its worst case, as the budget guard does, and says so', async () => {
    const storage = tempStorage();
    writeLedger(storage, '2026-03', [
      usage({ costUsd: 1 }),
      reservation({ reservationId: 'closed', reservedUsd: 3 }),
      usage({ costUsd: 0.5, reservationId: 'closed', requestId: 'req_closed' }),
      reservation({ reservationId: 'killed', reservedUsd: 0.25 }),
    ]);
    const live = new LiveMonthSpend({ globalStorage: storage, clock: () => now });
    await live.ensureLoaded();
    const snapshot = live.snapshot();
    assert.ok(snapshot);
    assert.equal(snapshot.costUsd, 1.5, 'recorded spend');
    assert.deepEqual(snapshot.unknown, { calls: 1, atMostUsd: 0.25, unpricedCalls: 0 });
    const view = budgetStatusView({ spend: snapshot, monthlyUsd: 10, softAlertPercent: 80, display: 'usd', running: false, nowMs: now });
    assert.equal(view.text, '$(pulse) $1.75 / $10', 'the amount the monthly limit is checked against');
    assert.match(view.tooltip, /outcome unknown, at most \$0\.25 \(1 call cut off before its usage was recorded; counted at that worst case\)/);
    assert.equal((await monthSpend(storage, '2026-03')).spentUsd, 1.75, 'the guard counts the same');
  });

  it('starts a new fold when the month changes', async () => {
    const storage = tempStorage();
    writeLedger(storage, '2026-03', [usage({ costUsd: 1 })]);
    let clock = now;
    const live = new LiveMonthSpend({ globalStorage: storage, clock: () => clock });
    await live.ensureLoaded();
    clock = Date.parse('2026-04-01T00:00:01.000Z');
    await live.ensureLoaded();
    assert.equal(live.snapshot()?.month, '2026-04');
    assert.equal(live.snapshot()?.costUsd, 0);
  });
});
