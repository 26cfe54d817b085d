import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USAGE_RECORD_VERSION, type UsageRecord } from '../../../src/core/llm/usageRecord';

/** A fresh temp folder per test, removed afterwards. */
export function useTempDir(): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(async () => {
    holder.path = await mkdtemp(join(tmpdir(), 'flotilla-store-'));
  });
  afterEach(async () => {
    await rm(holder.path, { recursive: true, force: true });
  });
  return holder;
}

export function usageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    v: USAGE_RECORD_VERSION,
    ts: '2025-06-15T10:00:00.000Z',
    workspace: 'ws',
    batchId: 'b1',
    ticketId: 'T1',
    stage: 'work',
    model: 'claude-haiku-4-5',
    tier: 'fast',
    inputTokens: 1000,
    outputTokens: 200,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    costUsd: 0.01,
    latencyMs: 1200,
    requestId: 'req_1',
    cached: false,
    attempt: 1,
    ...overrides,
  };
}

/** A controllable clock. */
export function fakeClock(start = Date.parse('2025-06-15T10:00:00Z')): { now: () => number; set: (t: number) => void; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (v) => (t = v), advance: (ms) => (t += ms) };
}
