import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { filler, manualClock, MODEL, sdkClient, userMessage } from './simulatorHarness';

const request = { model: MODEL, max_tokens: 20, messages: [userMessage('hi')] };

describe('simulator: rate limits', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('sends the anthropic-ratelimit-* headers on every message response', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 15, 12, 0, 0));
    sim = await startSimulator({ clock: clock.now, rateLimit: { requestsPerMinute: 50, inputTokensPerMinute: 40_000 } });
    const client = sdkClient(sim);
    const { data, response } = await client.messages.create(request).withResponse();
    const h = response.headers;
    assert.equal(h.get('anthropic-ratelimit-requests-limit'), '50');
    assert.equal(h.get('anthropic-ratelimit-requests-remaining'), '49');
    assert.equal(h.get('anthropic-ratelimit-requests-reset'), '2026-01-15T12:01:00Z');
    assert.equal(h.get('anthropic-ratelimit-input-tokens-limit'), '40000');
    assert.equal(h.get('anthropic-ratelimit-input-tokens-remaining'), String(40_000 - data.usage.input_tokens));
    assert.match(h.get('anthropic-ratelimit-input-tokens-reset') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const second = await client.messages.create(request).withResponse();
    assert.equal(second.response.headers.get('anthropic-ratelimit-requests-remaining'), '48');
  });

  it('refuses requests over the RPM limit with 429 and retry-after until the window slides', async () => {
    const clock = manualClock();
    sim = await startSimulator({ clock: clock.now, rateLimit: { requestsPerMinute: 2 } });
    const client = sdkClient(sim);
    await client.messages.create(request);
    clock.advance(15_000);
    await client.messages.create(request);
    clock.advance(5_000);
    await assert.rejects(client.messages.create(request), (e: unknown) => {
      assert.ok(e instanceof Anthropic.RateLimitError);
      assert.equal(e.headers?.get('retry-after'), '40', 'the first request leaves the window 40 s from now');
      assert.equal(e.headers?.get('anthropic-ratelimit-requests-remaining'), '0');
      assert.equal((e.error as { error: { type: string } }).error.type, 'rate_limit_error');
      return true;
    });
    clock.advance(40_000);
    await client.messages.create(request);
    assert.equal(sim.billed().requests, 3, 'the refused request is not billed');
  });

  it('refuses a request that would exceed the input-tokens-per-minute limit', async () => {
    const clock = manualClock();
    sim = await startSimulator({ clock: clock.now, rateLimit: { inputTokensPerMinute: 1_000 } });
    const client = sdkClient(sim);
    const big = { ...request, messages: [userMessage(filler(600))] };
    await client.messages.create(big);
    await assert.rejects(client.messages.create(big), Anthropic.RateLimitError);
    await client.messages.create(request); // a small one still fits
    clock.advance(60_000);
    await client.messages.create(big);
  });

  it('writes no cache entry for a request it refuses', async () => {
    const clock = manualClock();
    sim = await startSimulator({ clock: clock.now, rateLimit: { requestsPerMinute: 1 } });
    const client = sdkClient(sim);
    const cached = {
      ...request,
      system: [{ type: 'text' as const, text: filler(1100), cache_control: { type: 'ephemeral' as const } }],
    };
    await client.messages.create(request);
    await assert.rejects(client.messages.create(cached), Anthropic.RateLimitError);
    clock.advance(60_000);
    const after = await client.messages.create(cached);
    assert.equal(after.usage.cache_read_input_tokens, 0, 'the refused request left nothing in the cache');
    assert.ok((after.usage.cache_creation_input_tokens ?? 0) > 0);
  });

  it('reports generous limits without enforcing them when none are configured', async () => {
    sim = await startSimulator({ clock: manualClock().now });
    const client = sdkClient(sim);
    for (let i = 0; i < 5; i++) await client.messages.create(request);
    const { response } = await client.messages.create(request).withResponse();
    assert.ok(Number(response.headers.get('anthropic-ratelimit-requests-limit')) >= 1000);
  });
});
