import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerEntry, ReservationRecord } from '../../../src/core/llm/reservationRecord';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';

export function tempStorage(): string {
  return mkdtempSync(join(tmpdir(), 'flotilla-report-'));
}

export function usage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    v: 1,
    ts: '2026-03-10T12:00:00.000Z',
    workspace: '/home/u/projects/shop',
    batchId: 'b1',
    ticketId: 'T1',
    stage: 'work',
    model: 'claude-sonnet-5-5',
    tier: 'balanced',
    inputTokens: 1000,
    outputTokens: 200,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 300,
    costUsd: 0.5,
    latencyMs: 100,
    requestId: 'req_1',
    cached: false,
    attempt: 1,
    ...overrides,
  };
}

/** A reservation record, written before a call is sent (closed by the usage record carrying its id). */
export function reservation(overrides: Partial<ReservationRecord> = {}): ReservationRecord {
  return { v: 1, kind: 'reservation', ts: '2026-03-10T11:59:59.000Z', workspace: '/home/u/projects/shop', batchId: 'b1', ticketId: 'T1', stage: 'work', model: 'claude-sonnet-5-5', tier: 'balanced', reservationId: 'res-1', reservedUsd: 0.25, attempt: 1, ...overrides };
}

export function writeLedger(storage: string, month: string, records: readonly LedgerEntry[]): void {
  mkdirSync(join(storage, 'ledger'), { recursive: true });
  writeFileSync(join(storage, 'ledger', `${month}.jsonl`), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

function ticketRecord(id: string, title: string, tiers: readonly ('fast' | 'balanced' | 'strong')[], costUsd: number, state = 'done') {
  return {
    id,
    title,
    complexityClass: 'mechanical',
    score: 20,
    tier: tiers.at(-1),
    model: `model-${tiers.at(-1)}`,
    reason: 'short ticket',
    maxTier: 'strong',
    state,
    detail: 'ok',
    stages: [{ stage: 'work', model: `model-${tiers[0]}`, tier: tiers[0], tokens: 1000, costUsd, result: 'done' }],
    fixLoops: tiers.length - 1,
    escalations: tiers.length - 1,
    tierHistory: tiers.map((tier) => ({ tier, model: `model-${tier}`, reason: 'why' })),
    review: { level: 'standard', result: state === 'done' ? 'PASS' : 'FAIL', findings: 2 },
    branch: `flotilla/b/${id}`,
    commit: null,
    diffStats: [],
    costUsd,
    tokens: 1000 * tiers.length,
  };
}

/** A finished batch as BatchRecorder leaves it: state.json with records and summary, plus review files. */
export function writeFinishedBatch(storage: string, id: string, createdAt: string, tickets: readonly { id: string; title: string; tiers: ('fast' | 'balanced' | 'strong')[]; costUsd: number; state?: string }[]): void {
  const dir = join(storage, 'batches', id);
  mkdirSync(join(dir, 'reviews'), { recursive: true });
  const total = tickets.reduce((s, t) => s + t.costUsd, 0);
  const state = {
    v: 1,
    id,
    createdAt,
    updatedAt: createdAt,
    mode: 'orchestrated',
    status: 'done',
    baseCommit: 'abc',
    ticketIds: tickets.map((t) => t.id),
    tickets: Object.fromEntries(
      tickets.map((t) => [
        t.id,
        {
          status: t.state === 'failed' ? 'failed' : 'done',
          complexityClass: 'mechanical',
          tierHistory: t.tiers.map((tier) => ({ tier, model: `model-${tier}`, startedAt: createdAt, endedAt: createdAt, fixLoops: 0, result: 'passed', costUsd: t.costUsd })),
          costUsd: t.costUsd,
        },
      ]),
    ),
    owner: null,
    extra: {
      records: Object.fromEntries(tickets.map((t) => [t.id, ticketRecord(t.id, t.title, t.tiers, t.costUsd, t.state)])),
      summary: {
        state: 'done',
        totals: { tokens: 5000, costUsd: total, cacheReadShare: 0.25 },
        analysis: { orchestratedUsd: total, singleAgentEstimateUsd: total * 2, savingsPct: 50, routingSavingsVsStrongPct: 70 },
      },
    },
  };
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
  for (const t of tickets) {
    writeFileSync(join(dir, 'reviews', `${t.id}.json`), JSON.stringify({ level: 'standard', verdict: 'PASS', gates: { gates: [{ name: 'build', command: null, status: 'skipped', exitCode: null, durationMs: 0, output: '' }, { name: 'test', command: 'npm test', status: 'pass', exitCode: 0, durationMs: 1200, output: 'ok' }], verdict: 'PASS' }, findings: [] }));
  }
}

/** A batch cut off before it finished: no summary, no records for one ticket. */
export function writeInterruptedBatch(storage: string, id: string, createdAt: string): void {
  const dir = join(storage, 'batches', id);
  mkdirSync(dir, { recursive: true });
  const state = {
    v: 1,
    id,
    createdAt,
    updatedAt: createdAt,
    mode: 'direct',
    status: 'interrupted',
    baseCommit: null,
    ticketIds: ['X1', 'X2'],
    tickets: {
      X1: { status: 'done', complexityClass: 'standard', tierHistory: [{ tier: 'fast', model: 'm-fast', startedAt: createdAt, endedAt: createdAt, fixLoops: 1, result: 'passed', costUsd: 0.2 }], costUsd: 0.2 },
      X2: { status: 'queued' },
    },
    owner: null,
    extra: { records: { X1: { not: 'a record' } } },
  };
  writeFileSync(join(dir, 'state.json'), JSON.stringify(state));
}
