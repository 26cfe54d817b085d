import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { scriptedResponder, textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { manualClock, MODEL, parseSse, rawPost, sdkClient, userMessage } from './simulatorHarness';

describe('simulator: POST /v1/messages', () => {
  let sim: Simulator;
  let client: Anthropic;
  const clock = manualClock();

  beforeEach(async () => {
    sim = await startSimulator({ clock: clock.now });
    client = sdkClient(sim);
  });
  afterEach(() => sim.close());

  it('answers a JSON request the SDK accepts, with the full usage shape and a request-id', async () => {
    sim.setResponder(scriptedResponder([textTurn('Hello from the script.')]));
    const { data, response } = await client.messages
      .create({ model: MODEL, max_tokens: 100, messages: [userMessage('hi')] })
      .withResponse();
    assert.equal(data.type, 'message');
    assert.equal(data.role, 'assistant');
    assert.equal(data.model, MODEL);
    assert.match(data.id, /^msg_/);
    assert.deepEqual(data.content, [{ type: 'text', text: 'Hello from the script.' }]);
    assert.equal(data.stop_reason, 'end_turn');
    assert.equal(data.usage.output_tokens, Math.ceil('Hello from the script.'.length / 4));
    assert.equal(data.usage.cache_creation_input_tokens, 0);
    assert.equal(data.usage.cache_read_input_tokens, 0);
    assert.deepEqual(data.usage.cache_creation, { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 });
    const count = await client.messages.countTokens({ model: MODEL, messages: [userMessage('hi')] });
    assert.equal(data.usage.input_tokens, count.input_tokens);
    assert.equal(response.headers.get('request-id'), sim.requests[0]?.id);
  });

  it('streams message_start, ping, block events, message_delta with cumulative usage, message_stop', async () => {
    const text = 'A streamed answer that is long enough to need several text deltas on the wire.';
    sim.setResponder(scriptedResponder([textTurn(text, 42)]));
    const raw = await rawPost(sim, '/v1/messages', { model: MODEL, max_tokens: 100, stream: true, messages: [userMessage('hi')] });
    assert.equal(raw.status, 200);
    assert.match(raw.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = parseSse(raw.text);
    const names = events.map((e) => e.event);
    assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
    assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    const deltas = events.filter((e) => e.event === 'content_block_delta');
    assert.ok(deltas.length > 1, 'text arrives in several deltas');
    for (const e of events) assert.equal(e.data.type, e.event, 'data.type matches the SSE event name');
    const joined = deltas.map((e) => (e.data.delta as { text: string }).text).join('');
    assert.equal(joined, text);

    const start = events[0]?.data.message as { content: unknown[]; usage: Record<string, number> };
    assert.deepEqual(start.content, []);
    const deltaUsage = events.find((e) => e.event === 'message_delta')?.data.usage as Record<string, number>;
    assert.equal(deltaUsage.output_tokens, 42, 'message_delta carries the total output, not an increment');
    assert.equal(deltaUsage.input_tokens, start.usage.input_tokens);
    assert.equal(deltaUsage.cache_read_input_tokens, start.usage.cache_read_input_tokens);
    assert.equal(deltaUsage.cache_creation_input_tokens, start.usage.cache_creation_input_tokens);
    assert.ok((start.usage.output_tokens ?? 0) <= 42);
  });

  it('streams tool_use turns that the SDK assembles into parsed input', async () => {
    const input = { path: 'src/app.ts', content: 'export const answer = 42;\n', mode: 'overwrite' };
    sim.setResponder(scriptedResponder([{ content: [{ type: 'text', text: 'Writing it.' }, { type: 'tool_use', name: 'write_file', input }] }]));
    const stream = client.messages.stream({ model: MODEL, max_tokens: 500, messages: [userMessage('write it')] });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const tool = final.content[1];
    assert.equal(tool?.type, 'tool_use');
    assert.ok(tool?.type === 'tool_use');
    assert.match(tool.id, /^toolu_/);
    assert.equal(tool.name, 'write_file');
    assert.deepEqual(tool.input, input);
    assert.equal(final.usage.output_tokens, Math.ceil(('Writing it.' + JSON.stringify(input)).length / 4));
  });

  it('keeps a scripted tool id and answers turn after turn', async () => {
    sim.setResponder(scriptedResponder([toolUseTurn('read_file', { path: 'a' }, 'toolu_fixed'), textTurn('done')]));
    const first = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [userMessage('go')] });
    const second = await client.messages.create({ model: MODEL, max_tokens: 100, messages: [userMessage('go on')] });
    assert.deepEqual(first.content, [{ type: 'tool_use', id: 'toolu_fixed', name: 'read_file', input: { path: 'a' } }]);
    assert.deepEqual(second.content, [{ type: 'text', text: 'done' }]);
    await assert.rejects(
      client.messages.create({ model: MODEL, max_tokens: 100, messages: [userMessage('more')] }),
      (e: unknown) => e instanceof Anthropic.InternalServerError && e.status === 500 && /script exhausted/.test(e.message),
    );
  });

  it('never reports more output than max_tokens: the turn is cut with stop_reason max_tokens', async () => {
    sim.setResponder(scriptedResponder([textTurn('x'.repeat(400))]));
    const message = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [userMessage('hi')] });
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(message.usage.output_tokens, 10);
    assert.equal((message.content[0] as { text: string }).text.length, 40);
  });

  it('reports the stop sequence when a scripted turn stops on one, in JSON and in message_delta', async () => {
    const turn = { content: [{ type: 'text' as const, text: 'one two' }], stopReason: 'stop_sequence' as const };
    sim.setResponder(scriptedResponder([turn, turn]));
    const params = { model: MODEL, max_tokens: 50, stop_sequences: ['END'], messages: [userMessage('count')] };
    const json = await client.messages.create(params);
    assert.equal(json.stop_reason, 'stop_sequence');
    assert.equal(json.stop_sequence, 'END');
    const streamed = await client.messages.stream(params).finalMessage();
    assert.equal(streamed.stop_sequence, 'END');
  });

  it('logs every request with method, path, parsed body, clock time and the key masked', async () => {
    await client.messages.create({ model: MODEL, max_tokens: 5, messages: [userMessage('logged')] });
    await client.models.list();
    assert.equal(sim.requests.length, 2);
    const [first, second] = sim.requests;
    assert.equal(first?.method, 'POST');
    assert.equal(first?.path, '/v1/messages');
    assert.deepEqual(first?.body, { model: MODEL, max_tokens: 5, messages: [userMessage('logged')] });
    assert.equal(first?.at, clock.now());
    const key = first?.headers['x-api-key'] ?? first?.headers.authorization;
    assert.equal(key, '***');
    assert.ok(!JSON.stringify(sim.requests).includes('test-key'), 'the API key never appears in the log');
    assert.equal(second?.method, 'GET');
    assert.equal(second?.path, '/v1/models');
  });

  it('refuses bad requests with the API error shape and status', async () => {
    await assert.rejects(
      client.messages.create({ model: 'claude-nope-1', max_tokens: 5, messages: [userMessage('x')] }),
      (e: unknown) => e instanceof Anthropic.NotFoundError && (e.error as { error: { type: string } }).error.type === 'not_found_error',
    );
    const noMaxTokens = await rawPost(sim, '/v1/messages', { model: MODEL, messages: [userMessage('x')] });
    assert.equal(noMaxTokens.status, 400);
    const body = JSON.parse(noMaxTokens.text) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /max_tokens/);
    const noKey = await rawPost(sim, '/v1/messages', { model: MODEL, max_tokens: 5, messages: [userMessage('x')] }, { 'x-api-key': '' });
    assert.equal(noKey.status, 401);
    assert.equal((JSON.parse(noKey.text) as { error: { type: string } }).error.type, 'authentication_error');
    assert.ok(noKey.headers.get('request-id'));
  });
});

describe('simulator: count_tokens and models', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(() => sim.close());

  it('counts tokens deterministically over tools, system and messages', async () => {
    const client = sdkClient(sim);
    const params = {
      model: MODEL,
      system: 'You are terse.',
      tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object' as const, properties: {} } }],
      messages: [userMessage('How many tokens is this?')],
    };
    const a = await client.messages.countTokens(params);
    const b = await client.messages.countTokens(params);
    const shorter = await client.messages.countTokens({ model: MODEL, messages: [userMessage('How many tokens is this?')] });
    assert.equal(a.input_tokens, b.input_tokens);
    assert.ok(a.input_tokens > shorter.input_tokens, 'tools and system count too');
    assert.equal(sim.billed().requests, 0, 'counting is not billed');
  });

  it('lists the built-in models with pagination and retrieves one', async () => {
    const client = sdkClient(sim);
    const firstPage = await client.models.list({ limit: 2 });
    assert.equal(firstPage.data.length, 2);
    assert.equal(firstPage.has_more, true);
    const all: string[] = [];
    for await (const model of client.models.list({ limit: 5 })) all.push(model.id);
    assert.ok(all.includes(MODEL));
    assert.equal(new Set(all).size, all.length, 'pages do not overlap');
    const one = await client.models.retrieve(MODEL);
    assert.equal(one.id, MODEL);
    assert.equal(one.type, 'model');
    await assert.rejects(client.models.retrieve('claude-nope-2'), Anthropic.NotFoundError);
  });
});
