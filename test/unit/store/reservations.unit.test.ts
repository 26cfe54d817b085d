import assert from 'node:assert/strict';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CallSizing } from '../../../src/core/llm/callSizing';
import { isReservation, type LedgerEntry, type ReservationRecord } from '../../../src/core/llm/reservationRecord';
import { USAGE_RECORD_VERSION, type UsageRecord } from '../../../src/core/llm/usageRecord';
import { BudgetGuard } from '../../../src/core/store/budget';
import { memoryAlertMemory } from '../../../src/core/store/budgetAlerts';
import { batchUnknownOutcomes, foldLedger, monthSpend } from '../../../src/core/store/ledgerReader';
import { UsageLedger } from '../../../src/core/store/ledgerWriter';
import { ledgerFile } from '../../../src/core/store/storagePaths';
import { usageRecord, useTempDir } from './storeTestKit';

function reservation(overrides: Partial<ReservationRecord> = {}): ReservationRecord {
  return {
    v: USAGE_RECORD_VERSION,
    kind: 'reservation',
    ts: '2025-06-15T09:59:59.000Z',
    workspace: 'ws',
    batchId: 'b1',
    ticketId: 'T1',
    stage: 'work',
    model: 'claude-haiku-4-5',
    tier: 'fast',
    reservationId: 'r-1',
    reservedUsd: 0.05,
    attempt: 1,
    ...overrides,
  };
}

const TAGS = { workspace: 'ws', batchId: 'b1', ticketId: 'T1', stage: 'work', tier: 'fast', attempt: 1 } as const;

function sizing(worstCase: number, attempt: object = {}): CallSizing {
  return { requestedMaxTokens: 4096, minMaxTokens: 1024, worstCaseFor: () => worstCase, countedWorstCase: async () => null, attempt, tags: TAGS };
}

const guardOf = (batchUsd: number | null = null, batchSpentUsd = 0) =>
  new BudgetGuard({ limits: { monthlyUsd: null, batchUsd }, monthSpentUsd: 0, month: '2025-06', batchSpentUsd, alerts: memoryAlertMemory(), clock: () => Date.parse('2025-06-15T10:00:00Z') });

describe('ledger reservations (issue 20 item 4)', () => {
  const dir = useTempDir();

  it('are written and read beside usage records: folds that sum usage never see them, and an old ledger reads as before', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ ticketId: 'old' }));
    await ledger.append(reservation());
    await ledger.append(usageRecord({ ticketId: 'T1', reservationId: 'r-1' }));
    await ledger.close();
    const usage: UsageRecord[] = [];
    const reservations: ReservationRecord[] = [];
    const scan = await foldLedger(dir.path, (r) => usage.push(r), { onReservation: (r) => reservations.push(r) });
    assert.deepEqual(scan.problems, []);
    assert.equal(scan.records, 2, 'records counts usage records');
    assert.deepEqual(usage.map((r) => r.ticketId), ['old', 'T1']);
    assert.deepEqual(reservations.map((r) => r.reservationId), ['r-1']);
    const line = (await readFile(ledgerFile(dir.path, '2025-06'), 'utf8')).split('\n')[1] ?? '';
    assert.doesNotMatch(line, /Tokens|costUsd/, 'a reservation has no token fields and no cost');
    const plain: UsageRecord[] = [];
    assert.deepEqual((await foldLedger(dir.path, (r) => plain.push(r))).problems, [], 'a reader that does not ask for reservations skips them quietly');
  });

  it('count at their worst case in the month spend until a usage record closes them', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ costUsd: 0.01 }));
    await ledger.append(reservation({ reservationId: 'closed', reservedUsd: 0.5 }));
    await ledger.append(usageRecord({ costUsd: 0.02, reservationId: 'closed' }));
    await ledger.append(reservation({ reservationId: 'open', reservedUsd: 0.25 }));
    await ledger.append(reservation({ reservationId: 'simulated', reservedUsd: 9, simulated: true }));
    await ledger.append(reservation({ reservationId: 'unpriced', reservedUsd: null, model: 'someone-elses-model' }));
    await ledger.close();
    const spend = await monthSpend(dir.path, '2025-06');
    assert.ok(Math.abs(spend.spentUsd - 0.28) < 1e-12, `recorded 0.03 + open 0.25: ${spend.spentUsd}`);
    assert.deepEqual(spend.unknown, { calls: 2, atMostUsd: 0.25, unpricedCalls: 1 });
    assert.equal(spend.unpricedCalls, 1);
    assert.deepEqual((await batchUnknownOutcomes(dir.path, 'b1')).unknown, { calls: 3, atMostUsd: 9.25, unpricedCalls: 1 });
    assert.deepEqual((await batchUnknownOutcomes(dir.path, 'other')).unknown, { calls: 0, atMostUsd: 0, unpricedCalls: 0 });
  });

  it('a reservation of the last evening of a month closed after midnight is not counted as open', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(reservation({ ts: '2025-05-31T23:59:59.000Z', reservationId: 'late', reservedUsd: 1 }));
    await ledger.append(usageRecord({ ts: '2025-06-01T00:00:01.000Z', costUsd: 0.1, reservationId: 'late' }));
    await ledger.close();
    assert.deepEqual((await monthSpend(dir.path, '2025-05')).unknown.calls, 0);
    assert.equal((await monthSpend(dir.path, '2025-05')).spentUsd, 0);
  });

  it('a torn or invalid reservation line is reported and skipped like any other', async () => {
    const file = ledgerFile(dir.path, '2025-06');
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${JSON.stringify({ ...reservation(), reservedUsd: -1 })}\n`);
    const scan = await foldLedger(dir.path, () => undefined, { onReservation: () => assert.fail('an invalid reservation is not visited') });
    assert.equal(scan.problems.length, 1);
    assert.match(scan.problems[0]?.message ?? '', /reservedUsd/);
  });
});

describe('budget hooks: a durable reservation before each call', () => {
  it('writes the reservation before the call may start and closes it with the usage record of a known outcome', async () => {
    const written: LedgerEntry[] = [];
    const guard = guardOf(1);
    const hooks = guard.clientHooks(async (e) => void written.push(e));
    const attempt = {};
    const maxTokens = await hooks.beforeCall(0.4, { model: 'm' }, sizing(0.4, attempt));
    assert.equal(maxTokens, 4096);
    assert.equal(written.length, 1, 'the reservation is appended before beforeCall resolves');
    const [held] = written;
    assert.ok(held && isReservation(held));
    assert.equal(held.reservedUsd, 0.4);
    assert.deepEqual({ batchId: held.batchId, ticketId: held.ticketId, stage: held.stage, attempt: held.attempt, model: held.model }, { batchId: 'b1', ticketId: 'T1', stage: 'work', attempt: 1, model: 'm' });
    assert.equal(guard.reservedUsd(), 0.4);
    await hooks.recordUsage(usageRecord({ model: 'm', costUsd: 0.03 }), attempt, 'known');
    const closing = written[1];
    assert.ok(closing && !isReservation(closing));
    assert.equal(closing.reservationId, held.reservationId);
    assert.equal(guard.reservedUsd(), 0);
    assert.equal(guard.snapshot().batchSpentUsd, 0.03);
  });

  it('leaves the reservation open for an unknown outcome, and counts it at its worst case plus what was recorded', async () => {
    const written: LedgerEntry[] = [];
    const guard = guardOf(1);
    const hooks = guard.clientHooks(async (e) => void written.push(e));
    const attempt = {};
    await hooks.beforeCall(0.4, { model: 'm' }, sizing(0.4, attempt));
    await hooks.recordUsage(usageRecord({ model: 'm', costUsd: 0.01, partial: true, error: 'StreamInterruptedError' }), attempt, 'unknown');
    const record = written[1];
    assert.ok(record && !isReservation(record));
    assert.equal(record.reservationId, undefined, 'a partial record does not close the reservation');
    assert.equal(guard.reservedUsd(), 0);
    assert.ok(Math.abs(guard.snapshot().batchSpentUsd - 0.41) < 1e-12, 'what a later reader of the ledger counts too');
  });

  it('refuses the call when the reservation cannot be written, holding nothing', async () => {
    const guard = guardOf(1);
    const hooks = guard.clientHooks(async () => Promise.reject(Object.assign(new Error('no space left'), { code: 'ENOSPC' })));
    await assert.rejects(Promise.resolve(hooks.beforeCall(0.4, { model: 'm' }, sizing(0.4))), /no space left/);
    assert.equal(guard.reservedUsd(), 0);
  });
});
