import assert from 'node:assert/strict';
import { BudgetExceededError, BudgetGuard, softAlertReached, wouldCross, type SoftAlert } from '../../../src/core/store/budget';
import { fileAlertMemory, memoryAlertMemory } from '../../../src/core/store/budgetAlerts';
import { readLedgerFile } from '../../../src/core/store/ledgerReader';
import { UsageLedger } from '../../../src/core/store/ledgerWriter';
import { ledgerFile } from '../../../src/core/store/storagePaths';
import { fakeClock, usageRecord, useTempDir } from './storeTestKit';

const JUNE = Date.parse('2025-06-15T10:00:00Z');

function guard(limits: { monthlyUsd: number | null; batchUsd: number | null; softAlertPercent?: number }, monthSpentUsd = 0, clock = fakeClock(JUNE)) {
  const alerts: SoftAlert[] = [];
  const g = new BudgetGuard({ limits, monthSpentUsd, month: '2025-06', alerts: memoryAlertMemory(), onSoftAlert: (a) => alerts.push(a), clock: clock.now });
  return { g, alerts, clock };
}

describe('budget arithmetic', () => {
  it('crosses a limit only when spend + running worst cases + this worst case exceed it', () => {
    assert.equal(wouldCross(6, 2, 2, 10), false, 'exactly at the limit is allowed');
    assert.equal(wouldCross(6, 2, 2.01, 10), true);
    assert.equal(wouldCross(1e9, 0, 1, null), false, 'no limit');
    assert.equal(softAlertReached(7.99, 10, 80), false);
    assert.equal(softAlertReached(8, 10, 80), true);
    assert.equal(softAlertReached(8, null, 80), false);
  });
});

describe('BudgetGuard', () => {
  const dir = useTempDir();

  it('reserves worst cases so two parallel calls cannot together cross the limit', async () => {
    const { g } = guard({ monthlyUsd: 10, batchUsd: null }, 5);
    const first = g.reserve(3);
    const error = (() => {
      try {
        g.reserve(3);
        return null;
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof BudgetExceededError);
    assert.deepEqual([error.limit, error.spentUsd, error.reservedUsd, error.limitUsd, error.worstCaseUsd], ['monthly', 5, 3, 10, 3]);
    assert.match(error.nextStep, /monthlyUsd/);
    // The first call cost far less than its worst case: settling frees the difference.
    await g.settle(first, 0.5);
    assert.equal(g.monthSpentUsd(), 5.5);
    assert.doesNotThrow(() => g.reserve(3));
    assert.equal(g.reservedUsd(), 3);
  });

  it('enforces the batch limit separately from the monthly one, and release drops a reservation', () => {
    const { g } = guard({ monthlyUsd: 100, batchUsd: 1 });
    const r = g.reserve(0.9);
    assert.throws(() => g.reserve(0.2), (e: unknown) => e instanceof BudgetExceededError && e.limit === 'batch');
    g.release(r);
    assert.doesNotThrow(() => g.reserve(0.2));
  });

  it('lets an unpriced call through without holding anything', () => {
    const { g } = guard({ monthlyUsd: 1, batchUsd: 1 }, 1);
    assert.equal(g.reserve(null).worstCaseUsd, 0);
  });

  it('shows the soft alert once per month, even with settles racing, and again in a new month', async () => {
    const { g, alerts, clock } = guard({ monthlyUsd: 10, batchUsd: null }, 7);
    await Promise.all([g.settle(g.reserve(1), 1), g.settle(g.reserve(1), 1)]);
    await g.settle(g.reserve(0.1), 0.1);
    assert.deepEqual(alerts.map((a) => [a.limit, a.month, a.percent]), [['monthly', '2025-06', 80]]);
    clock.set(Date.parse('2025-07-02T00:00:00Z'));
    assert.equal(g.monthSpentUsd(), 0, 'a new month starts from zero');
    await g.settle(g.reserve(8), 8);
    assert.deepEqual(alerts.map((a) => a.month), ['2025-06', '2025-07']);
  });

  it('counts spend in the month of the record ts, and a clock jumping back does not reopen last month', async () => {
    const { g, clock } = guard({ monthlyUsd: 10, batchUsd: null }, 9);
    clock.set(Date.parse('2025-07-01T00:00:01Z'));
    assert.equal(g.monthSpentUsd(), 0);
    clock.set(Date.parse('2025-06-30T23:00:00Z'));
    assert.equal(g.snapshot().month, '2025-07');
    await g.settle(g.reserve(1), 1, '2025-07-01T00:00:02Z');
    assert.equal(g.monthSpentUsd(), 1);
  });

  it('opens from the ledger, persists the monthly alert across guards, and settles through the client hooks', async () => {
    const clock = fakeClock(JUNE);
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ costUsd: 8.5 }));
    const alerts: SoftAlert[] = [];
    const first = await BudgetGuard.open(dir.path, { limits: { monthlyUsd: 10, batchUsd: 5 }, clock: clock.now, onSoftAlert: (a) => alerts.push(a) });
    assert.equal(first.monthSpentUsd(), 8.5);
    assert.equal(alerts.length, 1, 'already past 80% at open');
    const second = await BudgetGuard.open(dir.path, { limits: { monthlyUsd: 10, batchUsd: 5 }, clock: clock.now, onSoftAlert: (a) => alerts.push(a) });
    assert.equal(alerts.length, 1, 'not shown again this month, even in another window');
    assert.equal(await fileAlertMemory(dir.path).wasShown('2025-06'), true);

    const hooks = second.clientHooks((r) => ledger.append(r));
    hooks.beforeCall(1, { model: 'claude-haiku-4-5' });
    assert.throws(() => hooks.beforeCall(1, { model: 'claude-haiku-4-5' }), BudgetExceededError);
    assert.equal(second.reservedUsd(), 1);
    await hooks.recordUsage(usageRecord({ costUsd: 0.2 }));
    assert.equal(second.reservedUsd(), 0);
    assert.equal(second.monthSpentUsd(), 8.7);
    await ledger.close();
    const scan = await readLedgerFile(ledgerFile(dir.path, '2025-06'), () => undefined);
    assert.equal(scan.records, 2, 'the record reached the ledger before it was counted');
  });
});
