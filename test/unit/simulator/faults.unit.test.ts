import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { scriptedResponder, textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { MODEL, parseSse, rawPost, sdkClient, userMessage } from './simulatorHarness';

const request = { model: MODEL, max_tokens: 200, messages: [userMessage('hi')] };

function errorType(e: unknown): string | undefined {
  return e instanceof Anthropic.APIError ? (e.error as { error?: { type?: string } } | undefined)?.error?.type : undefined;
}

describe('simulator: injected faults', () => {
  let sim: Simulator;
  let client: Anthropic;

  beforeEach(async () => {
    sim = await startSimulator();
    client = sdkClient(sim);
  });
  afterEach(() => sim.close());

  it('rate_limit: 429 rate_limit_error with retry-after', async () => {
    sim.injectFaults({ kind: 'rate_limit', retryAfterSeconds: 7 });
    await assert.rejects(client.messages.create(request), (e: unknown) => {
      assert.ok(e instanceof Anthropic.RateLimitError);
      assert.equal(e.headers?.get('retry-after'), '7');
      assert.equal(errorType(e), 'rate_limit_error');
      return true;
    });
    const next = await client.messages.create(request);
    assert.equal(next.type, 'message', 'a fault applies to one request only');
  });

  it('spend_limit: 429 whose message names the usage limit, without retry-after', async () => {
    sim.injectFaults({ kind: 'spend_limit' });
    await assert.rejects(client.messages.create(request), (e: unknown) => {
      assert.ok(e instanceof Anthropic.RateLimitError);
      assert.match(e.message, /usage limits/);
      assert.equal(e.errorCode, 'enforced_spend_limit_reached');
      assert.equal(e.headers?.get('retry-after'), null);
      return true;
    });
  });

  it('overloaded, server_error and http_error answer with the API status and error type', async () => {
    const cases: [Parameters<Simulator['injectFaults']>[0], number, string][] = [
      [{ kind: 'overloaded' }, 529, 'overloaded_error'],
      [{ kind: 'server_error' }, 500, 'api_error'],
      [{ kind: 'http_error', status: 400 }, 400, 'invalid_request_error'],
      [{ kind: 'http_error', status: 401 }, 401, 'authentication_error'],
      [{ kind: 'http_error', status: 403 }, 403, 'permission_error'],
      [{ kind: 'http_error', status: 404 }, 404, 'not_found_error'],
    ];
    sim.injectFaults(...cases.map(([fault]) => fault));
    for (const [, status, type] of cases) {
      await assert.rejects(client.messages.create(request), (e: unknown) => {
        assert.ok(e instanceof Anthropic.APIError);
        assert.equal(e.status, status);
        assert.equal(errorType(e), type);
        assert.ok(e.requestID?.startsWith('req_'));
        return true;
      });
    }
    assert.equal(sim.billed().requests, 0, 'refused requests are not billed');
  });

  it('sse_error_after_200: the stream starts with 200, then an error event; start usage stays billed', async () => {
    sim.injectFaults({ kind: 'sse_error_after_200' }, { kind: 'sse_error_after_200' });
    const raw = await rawPost(sim, '/v1/messages', { ...request, stream: true });
    assert.equal(raw.status, 200);
    const events = parseSse(raw.text);
    assert.deepEqual(events.map((e) => e.event), ['message_start', 'ping', 'error']);
    assert.deepEqual(events[2]?.data, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });

    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const event of client.messages.stream(request)) seen.push(event.type);
      })(),
      (e: unknown) => errorType(e) === 'overloaded_error',
    );
    assert.deepEqual(seen, ['message_start']);
    assert.equal(sim.billed().requests, 2);
    assert.equal(sim.billed().outputTokens, 2);
  });

  it('cut_mid_stream: the socket is destroyed after N events; usage sent before the cut is billed', async () => {
    sim.setResponder(scriptedResponder([textTurn('This answer never arrives in full.', 40)]));
    sim.injectFaults({ kind: 'cut_mid_stream', afterEvents: 3 });
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const event of client.messages.stream(request)) seen.push(event.type);
    });
    assert.deepEqual(seen, ['message_start', 'content_block_start'], 'ping is the SDK-hidden third event');
    const billed = sim.billed(MODEL);
    assert.equal(billed.requests, 1);
    assert.ok(billed.inputTokens > 0);
    assert.equal(billed.outputTokens, 1, 'only message_start’s output count reached the client');
  });

  it('latency: the answer is delayed by at least the injected time', async () => {
    sim.injectFaults({ kind: 'latency', ms: 200 });
    const started = performance.now();
    await client.messages.create(request);
    assert.ok(performance.now() - started >= 180);
  });

  it('never_answer: the request hangs until the client times out', async () => {
    sim.injectFaults({ kind: 'never_answer' });
    const impatient = new Anthropic({ apiKey: 'k', baseURL: sim.url, maxRetries: 0, timeout: 300 });
    await assert.rejects(impatient.messages.create(request), Anthropic.APIConnectionTimeoutError);
  });

  it('malformed_sse: the stream is not valid SSE/JSON and the SDK fails to parse it', async () => {
    sim.injectFaults({ kind: 'malformed_sse' });
    const quiet = new Anthropic({ apiKey: 'k', baseURL: sim.url, maxRetries: 0, logLevel: 'off' });
    await assert.rejects(quiet.messages.stream(request).finalMessage(), (e: unknown) => e instanceof Anthropic.AnthropicError && /JSON/.test(e.message));
    sim.injectFaults({ kind: 'malformed_sse' });
    const raw = await rawPost(sim, '/v1/messages', { ...request, stream: true });
    assert.throws(() => parseSse(raw.text));
  });

  it('invalid_tool_json: the input_json_delta pieces do not join into JSON', async () => {
    sim.setResponder(scriptedResponder([toolUseTurn('write_file', { path: 'a.ts', content: 'x' })]));
    sim.injectFaults({ kind: 'invalid_tool_json' });
    const raw = await rawPost(sim, '/v1/messages', { ...request, stream: true });
    const pieces = parseSse(raw.text)
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => e.data.delta as { type: string; partial_json: string });
    assert.ok(pieces.length > 0 && pieces.every((p) => p.type === 'input_json_delta'));
    const joined = pieces.map((p) => p.partial_json).join('');
    assert.ok(joined.startsWith('{"path":"a.ts"'));
    assert.throws(() => JSON.parse(joined), SyntaxError);
  });

  it('invalid_tool_json adds a tool call when the scripted turn has none', async () => {
    sim.injectFaults({ kind: 'invalid_tool_json' });
    const raw = await rawPost(sim, '/v1/messages', { ...request, stream: true });
    const events = parseSse(raw.text);
    const start = events.find((e) => e.event === 'content_block_start' && (e.data.content_block as { type: string }).type === 'tool_use');
    assert.ok(start);
    const stop = events.find((e) => e.event === 'message_delta')?.data.delta as { stop_reason: string };
    assert.equal(stop.stop_reason, 'tool_use');
  });

  it('unknown_event: an unknown event type is sent, and the SDK still assembles the message', async () => {
    sim.setResponder(scriptedResponder([textTurn('still fine'), textTurn('still fine')]));
    sim.injectFaults({ kind: 'unknown_event' }, { kind: 'unknown_event' });
    const raw = await rawPost(sim, '/v1/messages', { ...request, stream: true });
    const known = new Set(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const unknown = parseSse(raw.text).filter((e) => !known.has(e.event));
    assert.equal(unknown.length, 1);
    const final = await client.messages.stream(request).finalMessage();
    assert.deepEqual(final.content, [{ type: 'text', text: 'still fine' }]);
  });

  it('huge_response: a text block of exactly the requested size, past max_tokens', async () => {
    sim.injectFaults({ kind: 'huge_response', bytes: 3_000_000 });
    const final = await client.messages.stream({ ...request, max_tokens: 10 }).finalMessage();
    const text = (final.content[0] as { text: string }).text;
    assert.equal(text.length, 3_000_000);
    assert.equal(final.usage.output_tokens, 750_000);
  });

  it('faults are consumed in order by /v1/messages only', async () => {
    sim.injectFaults({ kind: 'overloaded' }, { kind: 'server_error' });
    await client.messages.countTokens({ model: MODEL, messages: [userMessage('hi')] });
    await client.models.list();
    await assert.rejects(client.messages.create(request), (e: unknown) => e instanceof Anthropic.APIError && e.status === 529);
    await assert.rejects(client.messages.create(request), (e: unknown) => e instanceof Anthropic.APIError && e.status === 500);
    await client.messages.create(request);
  });
});
