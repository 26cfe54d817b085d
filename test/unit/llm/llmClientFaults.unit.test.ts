import assert from 'node:assert/strict';
import {
  AuthenticationFailedError,
  CallCancelledError,
  InvalidRequestError,
  InvalidToolInputError,
  MalformedResponseError,
  ModelNotFoundError,
  PermissionDeniedError,
  RequestTimeoutError,
  ResponseTooLargeError,
  SpendLimitReachedError,
  type LlmError,
} from '../../../src/core/llm/llmErrors';
import { toolUseTurn } from '../../../src/simulator/responders';
import { RateLimiter } from '../../../src/core/llm/rateLimiter';
import { startSimulator } from '../../../src/simulator/simulator';
import { fastTime, ledgerTotals, makeClient, META, startStallingServer, withSimulator } from './llmTestKit';

/** Well under any request timeout the client has, well over a busy machine's scheduling delays. */
const CANCEL_BOUND_MS = 2000;
const hello = { model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'Hello there' }] };

function billedTotals(billed: { inputTokens: number; outputTokens: number; cacheWrite5mTokens: number; cacheWrite1hTokens: number; cacheReadTokens: number }) {
  const { inputTokens, outputTokens, cacheWrite5mTokens, cacheWrite1hTokens, cacheReadTokens } = billed;
  return { inputTokens, outputTokens, cacheWrite5mTokens, cacheWrite1hTokens, cacheReadTokens };
}

describe('LlmClient faults (against the simulator)', () => {
  it('retries a 429 after its retry-after, records both attempts, and halves the concurrency window', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'rate_limit', retryAfterSeconds: 2 });
      const { client, records, time, limiter } = makeClient(sim.url);
      const result = await client.call(hello, META);
      assert.equal(result.attempts, 2);
      assert.equal(sim.requests.length, 2);
      assert.deepEqual(
        records.map((r) => [r.attempt, r.error, r.inputTokens, r.costUsd]),
        [
          [1, 'RateLimitedError', 0, 0],
          [2, undefined, records[1]?.inputTokens, records[1]?.costUsd],
        ],
      );
      assert.equal(records[0]?.requestId, sim.requests[0]?.id);
      assert.ok(time.sleeps.some((ms) => ms >= 2000), `slept ${time.sleeps.join(',')}`);
      assert.ok(limiter.concurrency < 4);
    });
  });

  for (const kind of ['overloaded', 'server_error'] as const) {
    it(`retries ${kind} with backoff and then succeeds`, async () => {
      await withSimulator(async (sim) => {
        sim.injectFaults({ kind }, { kind });
        const { client, records, time } = makeClient(sim.url);
        const result = await client.call(hello, META);
        assert.equal(result.attempts, 3);
        assert.deepEqual(
          records.map((r) => r.attempt),
          [1, 2, 3],
        );
        assert.equal(records[0]?.error, kind === 'overloaded' ? 'OverloadedError' : 'ServerError');
        // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
        assert.deepEqual(time.sleeps, [250, 500]);
      });
    });
  }

  it('gives up after maxAttempts and surfaces the last typed error', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'overloaded' }, { kind: 'overloaded' }, { kind: 'overloaded' });
      const { client, records } = makeClient(sim.url, { retry: { maxAttempts: 2 } });
      await assert.rejects(client.call(hello, META), (e: LlmError) => e.name === 'OverloadedError' && e.retryable);
      assert.equal(records.length, 2);
      assert.equal(sim.requests.length, 2);
    });
  });

  const noRetry: [400 | 401 | 403 | 404, new (...args: never[]) => LlmError, string][] = [
    [400, InvalidRequestError, 'Open Log'],
    [401, AuthenticationFailedError, 'Set API Key'],
    [403, PermissionDeniedError, "Check the key's workspace permissions in the Console"],
    [404, ModelNotFoundError, 'Check the model ids in the flotilla.llm.tiers setting'],
  ];
  for (const [status, type, nextStep] of noRetry) {
    it(`never retries a ${status}: ${type.name} with a next step`, async () => {
      await withSimulator(async (sim) => {
        sim.injectFaults({ kind: 'http_error', status });
        const { client, records } = makeClient(sim.url);
        await assert.rejects(client.call(hello, META), (e: LlmError) => e instanceof type && e.nextStep === nextStep && e.status === status && !e.retryable);
        assert.equal(sim.requests.length, 1);
        assert.equal(records.length, 1);
        assert.equal(records[0]?.error, type.name);
        assert.equal(records[0]?.costUsd, 0);
      });
    });
  }

  it('never retries a 429 that says the spend limit was reached', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'spend_limit' });
      const { client, records } = makeClient(sim.url);
      await assert.rejects(client.call(hello, META), (e: LlmError) => e instanceof SpendLimitReachedError && e.nextStep === 'Raise the limit in the Console');
      assert.equal(sim.requests.length, 1);
      assert.equal(records[0]?.error, 'SpendLimitReachedError');
    });
  });

  it('retries an error event after a 200 and records the first attempt as partial', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'sse_error_after_200' });
      const { client, records } = makeClient(sim.url);
      const result = await client.call(hello, META);
      assert.equal(result.attempts, 2);
      assert.equal(records[0]?.error, 'OverloadedError');
      assert.equal(records[0]?.partial, true);
      assert.ok((records[0]?.inputTokens ?? 0) > 0, 'message_start usage is kept');
      assert.deepEqual(ledgerTotals(records), billedTotals(sim.billed()));
    });
  });

  it('records what message_start reported for a cut stream, once, and retries', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'cut_mid_stream', afterEvents: 3 });
      const { client, records } = makeClient(sim.url);
      const result = await client.call(hello, META);
      assert.equal(result.attempts, 2);
      assert.equal(records.length, 2);
      const [cut, ok] = records;
      assert.equal(cut?.error, 'StreamInterruptedError');
      assert.equal(cut?.partial, true);
      assert.equal(cut?.inputTokens, ok?.inputTokens);
      assert.ok((cut?.costUsd ?? 0) > 0);
      assert.equal(ok?.partial, undefined);
      // The ledger holds exactly what the server billed: the cut attempt once, the retry once.
      assert.deepEqual(ledgerTotals(records), billedTotals(sim.billed()));
    });
  });

  it('ignores an unknown event type', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'unknown_event' });
      const { client, records } = makeClient(sim.url);
      const result = await client.call(hello, META);
      assert.equal(result.text, 'This is a simulated response.');
      assert.equal(records.length, 1);
    });
  });

  it('turns a malformed stream into a typed error without retrying', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'malformed_sse' });
      const { client, records } = makeClient(sim.url);
      await assert.rejects(client.call(hello, META), MalformedResponseError);
      assert.equal(sim.requests.length, 1);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.error, 'MalformedResponseError');
    });
  });

  it('turns invalid tool JSON into a typed error with the full usage recorded', async () => {
    await withSimulator(async (sim) => {
      sim.setResponder(() => toolUseTurn('edit_file', { path: 'a.ts' }));
      sim.injectFaults({ kind: 'invalid_tool_json' });
      const { client, records } = makeClient(sim.url);
      await assert.rejects(client.call(hello, META), (e: LlmError) => e instanceof InvalidToolInputError && e.toolName === 'edit_file' && e.rawInput.endsWith(','));
      assert.equal(records.length, 1);
      assert.equal(records[0]?.partial, undefined, 'the stream completed, so the usage is final');
      assert.deepEqual(ledgerTotals(records), billedTotals(sim.billed()));
    });
  });

  it('stops a huge response at the size limit', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'huge_response', bytes: 2_000_000 });
      const { client, records } = makeClient(sim.url, { maxResponseChars: 100_000 });
      await assert.rejects(client.call(hello, META), ResponseTooLargeError);
      assert.equal(sim.requests.length, 1);
      assert.equal(records[0]?.partial, true);
    });
  });

  it('times out a server that never answers', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'never_answer' }, { kind: 'never_answer' });
      const { client, records } = makeClient(sim.url, { firstByteTimeoutMs: 150, retry: { maxAttempts: 2 } });
      const started = Date.now();
      await assert.rejects(client.call(hello, META), RequestTimeoutError);
      assert.ok(Date.now() - started < 5000);
      assert.deepEqual(
        records.map((r) => [r.attempt, r.error]),
        [
          [1, 'RequestTimeoutError'],
          [2, 'RequestTimeoutError'],
        ],
      );
    });
  });

  it('cancels a pending request promptly (not at a timeout) and records it once', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'never_answer' });
      const { client, records } = makeClient(sim.url);
      const controller = new AbortController();
      const call = client.call(hello, META, { signal: controller.signal });
      // Cancelled once the request is in flight (a fixed pause could end before a busy machine sent it).
      while (sim.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const abortedAt = performance.now();
      controller.abort();
      await assert.rejects(call, CallCancelledError);
      const took = performance.now() - abortedAt;
      // The request would never be answered: anything short of a timeout proves the cancel ended it.
      // The bound is loose on purpose (a busy machine); latency targets belong in bench/.
      assert.ok(took < CANCEL_BOUND_MS, `took ${took} ms`);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.error, 'CallCancelledError');
      assert.equal(sim.requests.length, 1, 'a cancelled call is not retried');
    });
  });

  it('stops waiting to retry when cancelled, without another record', async () => {
    await withSimulator(async (sim) => {
      sim.injectFaults({ kind: 'overloaded' });
      const controller = new AbortController();
      const { client, records } = makeClient(sim.url, {
        sleep: async (_ms, signal) => {
          controller.abort();
          signal?.throwIfAborted();
        },
      });
      await assert.rejects(client.call(hello, META, { signal: controller.signal }), CallCancelledError);
      assert.equal(sim.requests.length, 1);
      assert.deepEqual(
        records.map((r) => r.error),
        ['OverloadedError'],
      );
    });
  });

  it('does not start a call whose signal is already aborted', async () => {
    await withSimulator(async (sim) => {
      const { client, records } = makeClient(sim.url);
      await assert.rejects(client.call(hello, META, { signal: AbortSignal.abort() }), CallCancelledError);
      assert.equal(sim.requests.length, 0);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.inputTokens, 0);
    });
  });
});

describe('LlmClient on a stream that stalls mid-way (127.0.0.1 stub)', () => {
  it('stops a stalled stream promptly on cancellation and records the partial usage', async () => {
    const server = await startStallingServer();
    try {
      const { client, records } = makeClient(server.url);
      const controller = new AbortController();
      let abortedAt = 0;
      const call = client.call(hello, META, {
        signal: controller.signal,
        onText: () => {
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, 50);
        },
      });
      await assert.rejects(call, CallCancelledError);
      const took = performance.now() - abortedAt;
      assert.ok(abortedAt > 0 && took < CANCEL_BOUND_MS, `took ${took} ms`);
      assert.equal(records.length, 1);
      assert.equal(records[0]?.partial, true);
      assert.equal(records[0]?.inputTokens, 42);
      assert.equal(records[0]?.requestId, 'req_stall');
    } finally {
      await server.close();
    }
  });

  it('times out a stream with no events for idleTimeoutMs', async () => {
    const server = await startStallingServer();
    try {
      const { client, records } = makeClient(server.url, { idleTimeoutMs: 150, retry: { maxAttempts: 1 } });
      await assert.rejects(client.call(hello, META), RequestTimeoutError);
      assert.equal(records[0]?.partial, true);
      assert.equal(records[0]?.error, 'RequestTimeoutError');
    } finally {
      await server.close();
    }
  });
});


describe('LlmClient with the shared limiter under a tight rate limit', () => {
  it('slows starts from the anthropic-ratelimit-* headers so no 429 happens', async () => {
    const time = fastTime();
    const sim = await startSimulator({ clock: time.clock, rateLimit: { requestsPerMinute: 5 } });
    try {
      const limiter = new RateLimiter({ maxConcurrency: 2, clock: time.clock, sleep: time.sleep });
      const { client, records } = makeClient(sim.url, { limiter, clock: time.clock, sleep: time.sleep });
      for (let i = 0; i < 12; i++) await client.call(hello, META);
      assert.equal(sim.requests.length, 12, 'no request was refused and retried');
      assert.deepEqual(records.filter((r) => r.error !== undefined), []);
      assert.ok(time.sleeps.length >= 2, 'the limiter held starts back');
    } finally {
      await sim.close();
    }
  });
});
