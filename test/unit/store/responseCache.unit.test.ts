import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { usageRecordSchema } from '../../../src/core/llm/usageRecord';
import { cachedUsageRecord, type CacheRequest } from '../../../src/core/store/cacheKey';
import { ResponseCache } from '../../../src/core/store/responseCache';
import { fakeClock, useTempDir } from './storeTestKit';

const HOUR = 3_600_000;
const answer = z.object({ verdict: z.string() });

describe('response cache', () => {
  const dir = useTempDir();
  let dep: string;
  let request: CacheRequest;

  beforeEach(async () => {
    dep = join(dir.path, 'src.ts');
    await writeFile(dep, 'export const a = 1;\n');
    request = { kind: 'review', stage: 'review', model: 'claude-haiku-4-5', prompt: 'Review this diff', dependsOn: [dep] };
  });

  it('misses, stores, hits, records the hit rate, and keeps it all across instances', async () => {
    const cache = new ResponseCache({ storage: dir.path });
    assert.equal(await cache.get(request, answer), null);
    await cache.put(request, { verdict: 'ok' });
    assert.deepEqual(await cache.get(request, answer), { verdict: 'ok' });
    const reopened = new ResponseCache({ storage: dir.path });
    assert.deepEqual(await reopened.get({ ...request, dependsOn: [dep, dep] }, answer), { verdict: 'ok' }, 'dependency order and duplicates do not matter');
    assert.equal(await reopened.get({ ...request, model: 'other' }, answer), null, 'the model is part of the key');
    const stats = await reopened.stats();
    assert.deepEqual([stats.hits, stats.misses, stats.entries], [2, 2, 1]);
    assert.equal(stats.hitRate, 0.5);
  });

  it('treats a changed dependency file as a miss and evicts the stale entry', async () => {
    const cache = new ResponseCache({ storage: dir.path });
    await cache.put(request, { verdict: 'ok' });
    await writeFile(dep, 'export const a = 2;\n');
    assert.equal(await cache.get(request, answer), null);
    assert.equal((await cache.stats()).entries, 0);
    assert.deepEqual(await readdir(join(dir.path, 'cache', 'entries')), []);
  });

  it('ages entries by their kind: review 24 h, exploration 1 h, overridable', async () => {
    const clock = fakeClock();
    const cache = new ResponseCache({ storage: dir.path, clock: clock.now, ttlMs: { security: 10 } });
    const exploration: CacheRequest = { ...request, kind: 'exploration', stage: 'plan' };
    const security: CacheRequest = { ...request, kind: 'security' };
    await cache.put(request, { verdict: 'review' });
    await cache.put(exploration, { verdict: 'explore' });
    await cache.put(security, { verdict: 'sec' });
    clock.advance(59 * 60_000);
    assert.notEqual(await cache.get(exploration, answer), null);
    assert.equal(await cache.get(security, answer), null, 'the override of 10 ms applies');
    clock.advance(2 * 60_000);
    assert.equal(await cache.get(exploration, answer), null);
    clock.advance(22 * HOUR);
    assert.notEqual(await cache.get(request, answer), null);
    clock.advance(2 * HOUR);
    assert.equal(await cache.get(request, answer), null);
  });

  it('treats an entry stamped in the future (clock jumped back) as expired, not fresh forever', async () => {
    const clock = fakeClock();
    const cache = new ResponseCache({ storage: dir.path, clock: clock.now });
    await cache.put(request, { verdict: 'ok' });
    clock.advance(-2 * HOUR);
    assert.equal(await cache.get(request, answer), null);
  });

  it('keeps under its size cap by evicting the least recently used entry', async () => {
    const clock = fakeClock();
    const probe = new ResponseCache({ storage: join(dir.path, 'probe'), clock: clock.now });
    await probe.put({ ...request, prompt: 'p0' }, { verdict: 'x'.repeat(100) });
    const oneEntry = (await probe.stats()).bytes;
    const cache = new ResponseCache({ storage: dir.path, clock: clock.now, maxBytes: oneEntry * 3 + 10 });
    const req = (i: number): CacheRequest => ({ ...request, prompt: `p${i}` });
    for (const i of [0, 1, 2]) await cache.put(req(i), { verdict: 'x'.repeat(100) });
    assert.notEqual(await cache.get(req(0), answer), null, 'touch 0 so 1 is now the oldest');
    await cache.put(req(3), { verdict: 'x'.repeat(100) });
    assert.equal(await cache.get(req(1), answer), null);
    for (const i of [0, 2, 3]) assert.notEqual(await cache.get(req(i), answer), null, `entry ${i} kept`);
    const stats = await cache.stats();
    assert.ok(stats.bytes <= oneEntry * 3 + 10);
    assert.equal(stats.evictions, 1);
  });

  it('misses and evicts when a cached value no longer fits the caller schema', async () => {
    const cache = new ResponseCache({ storage: dir.path });
    await cache.put(request, { verdict: 42 });
    assert.equal(await cache.get(request, answer), null);
    assert.equal((await cache.stats()).entries, 0);
  });

  it('quarantines a corrupt index and carries on empty', async () => {
    const cache = new ResponseCache({ storage: dir.path });
    await cache.put(request, { verdict: 'ok' });
    await writeFile(join(dir.path, 'cache', 'index.json'), '{ broken');
    const reopened = new ResponseCache({ storage: dir.path });
    assert.equal(await reopened.get(request, answer), null);
    await reopened.put(request, { verdict: 'again' });
    assert.deepEqual(await reopened.get(request, answer), { verdict: 'again' });
    assert.ok((await readdir(join(dir.path, 'cache'))).some((n) => n.startsWith('index.json.corrupt-')));
  });

  it('computes once with getOrCompute and reports hit or miss', async () => {
    const cache = new ResponseCache({ storage: dir.path });
    let calls = 0;
    const compute = async () => ({ verdict: `computed ${++calls}` });
    assert.deepEqual(await cache.getOrCompute(request, answer, compute), { value: { verdict: 'computed 1' }, hit: false });
    assert.deepEqual(await cache.getOrCompute(request, answer, compute), { value: { verdict: 'computed 1' }, hit: true });
    assert.equal(calls, 1);
  });

  it('makes a cache hit a valid ledger record that is cached and costs nothing', () => {
    const record = cachedUsageRecord({ workspace: 'ws', batchId: 'b', ticketId: 'T1', stage: 'review', model: 'm', tier: 'fast' }, -5, Date.parse('2025-06-01T00:00:00Z'));
    assert.deepEqual(usageRecordSchema.parse(record), record);
    assert.deepEqual([record.cached, record.costUsd, record.latencyMs, record.inputTokens], [true, 0, 0, 0]);
  });
});
