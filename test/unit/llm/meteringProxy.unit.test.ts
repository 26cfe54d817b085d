import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { MeteringProxy, type UsageMeter } from '../../../src/core/llm/meteringProxy';
import { ModelCost } from '../../../src/core/llm/modelCost';
import type { ProxyRun } from '../../../src/core/llm/proxyRun';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { silentLogger } from '../../../src/core/logger';
import { BudgetExceededError } from '../../../src/core/store/budget';
import { textTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Fault, Simulator } from '../../../src/simulator/simulatorTypes';

const MODEL = 'claude-sonnet-5-5';
const REAL_KEY = 'sk-ant-real-key-for-the-proxy-test';
const TAGS = { workspace: 'ws', batchId: 'B1', ticketId: 'T1', stage: 'work', tier: 'balanced', engine: 'claude-code' } as const;
const LIMITS = { maxCostUsd: 100, maxOutputTokens: 1_000_000 };
const LONG = 'A request long enough to be cached by the simulator. '.repeat(120);

interface Harness {
  sim: Simulator;
  proxy: MeteringProxy;
  run: ProxyRun;
  records: UsageRecord[];
  reserved: number[];
  /** A client like Claude Code's: the official SDK with the proxy as base URL and the token as key. */
  client: (maxRetries?: number) => Anthropic;
}

async function harness(meterOverride?: Partial<UsageMeter>): Promise<Harness> {
  const sim = await startSimulator({ responder: () => textTurn('Hello from the simulator, a few words long.') });
  const records: UsageRecord[] = [];
  const reserved: number[] = [];
  const meter: UsageMeter = {
    beforeCall: (worst) => void reserved.push(worst ?? 0),
    recordUsage: async (record) => void records.push(record),
    ...meterOverride,
  };
  const proxy = await MeteringProxy.start({ upstream: { baseURL: sim.url, apiKey: REAL_KEY }, meter, cost: new ModelCost({ logger: silentLogger }), logger: silentLogger });
  const run = proxy.openRun(TAGS, LIMITS);
  const client = (maxRetries = 0) => new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries, timeout: 10_000 });
  return { sim, proxy, run, records, reserved, client };
}

async function closeAll(h: Harness): Promise<void> {
  await h.proxy.close();
  await h.sim.close();
}

function billedEqualsLedger(h: Harness): void {
  const billed = h.sim.billed();
  const sum = (key: 'inputTokens' | 'outputTokens' | 'cacheWrite5mTokens' | 'cacheWrite1hTokens' | 'cacheReadTokens') => h.records.reduce((n, r) => n + r[key], 0);
  const billedRecords = h.records.filter((r) => r.inputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens > 0);
  assert.equal(billedRecords.length, billed.requests, 'one record with tokens per billed request');
  assert.deepEqual(
    { in: sum('inputTokens'), out: sum('outputTokens'), w5: sum('cacheWrite5mTokens'), w1: sum('cacheWrite1hTokens'), read: sum('cacheReadTokens') },
    { in: billed.inputTokens, out: billed.outputTokens, w5: billed.cacheWrite5mTokens, w1: billed.cacheWrite1hTokens, read: billed.cacheReadTokens },
  );
}

const request = (_stream: boolean) => ({
  model: MODEL,
  max_tokens: 1000,
  system: [{ type: 'text' as const, text: LONG, cache_control: { type: 'ephemeral' as const } }],
  messages: [{ role: 'user' as const, content: 'Say hello.' }],
});

describe('metering proxy', () => {
  it('forwards streamed and JSON calls unchanged and records each from what the server sent', async () => {
    const h = await harness();
    try {
      const streamed = await h.client().messages.stream(request(true)).finalMessage();
      assert.equal(streamed.content[0]?.type, 'text');
      const json = await h.client().messages.create(request(false));
      assert.equal(json.usage.cache_read_input_tokens, streamed.usage.cache_creation_input_tokens, 'the second call read what the first wrote');
      assert.equal(h.records.length, 2);
      const [first, second] = h.records as [UsageRecord, UsageRecord];
      assert.equal(first.cacheWrite5mTokens > 0, true);
      assert.equal(second.cacheReadTokens, first.cacheWrite5mTokens);
      assert.deepEqual({ batch: first.batchId, ticket: first.ticketId, stage: first.stage, tier: first.tier, engine: first.engine, attempt: first.attempt }, { batch: 'B1', ticket: 'T1', stage: 'work', tier: 'balanced', engine: 'claude-code', attempt: 1 });
      assert.ok(first.costUsd !== null && first.costUsd > 0);
      assert.equal(h.reserved.length, 2, 'every call reserved its worst case first');
      billedEqualsLedger(h);
      assert.equal(h.run.records.length, 2);
    } finally {
      await closeAll(h);
    }
  });

  it('keeps the ledger equal to what was billed, call for call, under 429, 529, 500, an error event and a cut stream', async () => {
    const h = await harness();
    try {
      const faults: Fault[] = [{ kind: 'rate_limit', retryAfterSeconds: 0 }, { kind: 'overloaded' }, { kind: 'server_error' }, { kind: 'sse_error_after_200' }, { kind: 'cut_mid_stream', afterEvents: 3 }];
      for (const fault of faults) {
        h.sim.injectFaults(fault);
        await h.client(0).messages.stream(request(true)).finalMessage().catch(() => undefined);
      }
      await h.client().messages.stream(request(true)).finalMessage();
      assert.equal(h.records.length, faults.length + 1, 'one record per attempt');
      assert.deepEqual(h.records.map((r) => r.error ?? 'ok'), ['RateLimitedError', 'OverloadedError', 'ServerError', 'OverloadedError', 'StreamInterruptedError', 'ok']);
      assert.deepEqual(h.records.map((r) => r.partial ?? false), [false, false, false, true, true, false]);
      billedEqualsLedger(h);
    } finally {
      await closeAll(h);
    }
  });

  it('numbers the client retries as attempts', async () => {
    const h = await harness();
    try {
      h.sim.injectFaults({ kind: 'overloaded' }, { kind: 'server_error' });
      await h.client(2).messages.stream(request(true)).finalMessage();
      assert.deepEqual(h.records.map((r) => r.attempt), [1, 2, 3]);
      billedEqualsLedger(h);
    } finally {
      await closeAll(h);
    }
  });

  it('rejects any key but the batch token with an API-shaped 401, and sends the real key upstream only', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: 3 }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const records: UsageRecord[] = [];
    const proxy = await MeteringProxy.start({
      upstream: { baseURL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, apiKey: REAL_KEY },
      meter: { beforeCall: () => undefined, recordUsage: async (r) => void records.push(r) },
      cost: new ModelCost({ logger: silentLogger }),
      logger: silentLogger,
    });
    try {
      const run = proxy.openRun(TAGS, LIMITS);
      const wrong = new Anthropic({ apiKey: REAL_KEY, baseURL: run.baseURL, maxRetries: 0 });
      await assert.rejects(wrong.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => e instanceof Anthropic.AuthenticationError);
      const right = new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries: 0 });
      const counted = await right.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
      assert.equal(counted.input_tokens, 3);
      assert.equal(seen.length, 1, 'the refused call never reached the API');
      assert.equal(seen[0]?.['x-api-key'], REAL_KEY);
      assert.equal(seen[0]?.authorization, undefined);
      assert.equal(records.length, 0, 'count_tokens is not billed, so not recorded');
      run.close();
      await assert.rejects(right.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => e instanceof Anthropic.AuthenticationError);
      const other = await fetch(`${run.baseURL.replace(/\/run\/.*/, '')}/run/${run.id}/v1/messages/batches`, { method: 'POST', headers: { 'x-api-key': proxy.token } });
      assert.equal(other.status, 401);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });

  it('refuses a call whose worst case would cross a hard limit with a 403, before it reaches the API, and keeps refusing', async () => {
    let calls = 0;
    const h = await harness({
      beforeCall: (worst) => {
        calls += 1;
        if (calls > 1) throw new BudgetExceededError('batch', 0.01, 0, 0.02, worst ?? 0);
      },
    });
    try {
      await h.client().messages.stream(request(true)).finalMessage();
      await assert.rejects(h.client(3).messages.create(request(false)), (e: unknown) => e instanceof Anthropic.PermissionDeniedError && /budget/.test(e.message));
      await assert.rejects(h.client().messages.create(request(false)), (e: unknown) => e instanceof Anthropic.PermissionDeniedError);
      assert.equal(h.sim.requests.length, 1, 'refused calls never reached the API');
      assert.equal(h.records.length, 1);
      assert.equal(h.run.stop?.kind, 'budget');
      billedEqualsLedger(h);
    } finally {
      await closeAll(h);
    }
  });

  it("stops a run at its own cost cap from the worker settings", async () => {
    const sim = await startSimulator({ responder: () => textTurn('ok') });
    const proxy = await MeteringProxy.start({ upstream: { baseURL: sim.url, apiKey: REAL_KEY }, meter: { beforeCall: () => undefined, recordUsage: async () => undefined }, cost: new ModelCost({ logger: silentLogger }), logger: silentLogger });
    try {
      const run = proxy.openRun(TAGS, { maxCostUsd: 0.000001, maxOutputTokens: 1_000_000 });
      const client = new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries: 0 });
      await client.messages.create(request(false));
      await assert.rejects(client.messages.create(request(false)), (e: unknown) => e instanceof Anthropic.PermissionDeniedError && /cost limit/.test(e.message));
      assert.equal(run.stop?.kind, 'run-limit');
      assert.equal(sim.requests.length, 1);
    } finally {
      await proxy.close();
      await sim.close();
    }
  });

  it('records what arrived when the client goes away in the middle of an answer', async () => {
    // An upstream that sends message_start and then nothing more, like a long generation.
    const upstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_slow' });
      const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, usage: { input_tokens: 40, output_tokens: 1, cache_read_input_tokens: 7, cache_creation_input_tokens: 0 } } };
      res.write(`event: message_start\ndata: ${JSON.stringify(start)}\n\n`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    const records: UsageRecord[] = [];
    const proxy = await MeteringProxy.start({
      upstream: { baseURL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, apiKey: REAL_KEY },
      meter: { beforeCall: () => undefined, recordUsage: async (r) => void records.push(r) },
      cost: new ModelCost({ logger: silentLogger }),
      logger: silentLogger,
    });
    try {
      const run = proxy.openRun(TAGS, LIMITS);
      const controller = new AbortController();
      const stream = new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries: 0 }).messages.stream(request(true), { signal: controller.signal });
      stream.on('streamEvent', (event) => {
        if (event.type === 'message_start') controller.abort();
      });
      await stream.finalMessage().catch(() => undefined);
      for (let i = 0; i < 100 && records.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(records.length, 1);
      assert.deepEqual({ input: records[0]?.inputTokens, read: records[0]?.cacheReadTokens, out: records[0]?.outputTokens, partial: records[0]?.partial, error: records[0]?.error, id: records[0]?.requestId }, { input: 40, read: 7, out: 1, partial: true, error: 'CallCancelledError', id: 'req_slow' });
    } finally {
      await proxy.close();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });
});
