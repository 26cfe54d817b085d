import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { filler, manualClock, MODEL, rawPost, sdkClient, userMessage } from './simulatorHarness';

type Usage = Anthropic.Messages.Usage;
type Params = Anthropic.Messages.MessageCreateParamsNonStreaming;
type Ttl = '5m' | '1h';

const MINUTE = 60_000;

function cachedSystem(text: string, ttl?: Ttl): Anthropic.Messages.TextBlockParam[] {
  return [{ type: 'text', text, cache_control: ttl ? { type: 'ephemeral', ttl } : { type: 'ephemeral' } }];
}

describe('simulator: prompt caching accounting', () => {
  let sim: Simulator;
  let client: Anthropic;
  let clock: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    clock = manualClock();
    sim = await startSimulator({ clock: clock.now });
    client = sdkClient(sim);
  });
  afterEach(() => sim.close());

  async function usage(params: Omit<Params, 'max_tokens'>): Promise<Usage> {
    return (await client.messages.create({ max_tokens: 50, ...params })).usage;
  }
  async function total(params: Omit<Params, 'max_tokens'>): Promise<number> {
    return (await client.messages.countTokens({ model: params.model, system: params.system, messages: params.messages, tools: params.tools })).input_tokens;
  }

  it('writes a prefix at or above the model minimum, then reads it; only the tail is input', async () => {
    const system = cachedSystem(filler(1200));
    const first = await usage({ model: MODEL, system, messages: [userMessage('question one')] });
    const second = await usage({ model: MODEL, system, messages: [userMessage('question two, longer')] });

    assert.ok((first.cache_creation_input_tokens ?? 0) >= 1200);
    assert.equal(first.cache_read_input_tokens, 0);
    assert.equal(first.cache_creation?.ephemeral_5m_input_tokens, first.cache_creation_input_tokens);
    assert.equal(first.cache_creation?.ephemeral_1h_input_tokens, 0);
    assert.equal(first.input_tokens + (first.cache_creation_input_tokens ?? 0), await total({ model: MODEL, system, messages: [userMessage('question one')] }));

    assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens);
    assert.equal(second.cache_creation_input_tokens, 0);
    assert.equal(second.input_tokens + (second.cache_read_input_tokens ?? 0), await total({ model: MODEL, system, messages: [userMessage('question two, longer')] }));
    assert.ok(second.input_tokens < 20, 'only the user turn after the breakpoint is plain input');
  });

  it('does not cache a prefix shorter than the model minimum (and raises no error)', async () => {
    const system = cachedSystem(filler(900)); // < 1,024 for this model
    for (const q of ['one', 'two']) {
      const u = await usage({ model: MODEL, system, messages: [userMessage(q)] });
      assert.equal(u.cache_creation_input_tokens, 0);
      assert.equal(u.cache_read_input_tokens, 0);
      assert.equal(u.input_tokens, await total({ model: MODEL, system, messages: [userMessage(q)] }));
    }
  });

  it('expires a 5-minute entry on the injected clock, and a read restarts its TTL', async () => {
    const system = cachedSystem(filler(1100));
    const ask = (): Promise<Usage> => usage({ model: MODEL, system, messages: [userMessage('q')] });
    const written = await ask();
    clock.advance(4 * MINUTE + 59_000);
    assert.equal((await ask()).cache_read_input_tokens, written.cache_creation_input_tokens, 'still live just before 5 minutes');
    clock.advance(4 * MINUTE + 59_000); // 9:58 after the write, 4:59 after the read
    assert.equal((await ask()).cache_read_input_tokens, written.cache_creation_input_tokens, 'the read refreshed the entry');
    clock.advance(5 * MINUTE);
    const expired = await ask();
    assert.equal(expired.cache_read_input_tokens, 0);
    assert.equal(expired.cache_creation_input_tokens, written.cache_creation_input_tokens, 'written again after expiry');
  });

  it('keeps a 1-hour entry past 5 minutes and bills it as a 1h write', async () => {
    const system = cachedSystem(filler(1100), '1h');
    const ask = (): Promise<Usage> => usage({ model: MODEL, system, messages: [userMessage('q')] });
    const written = await ask();
    assert.equal(written.cache_creation?.ephemeral_1h_input_tokens, written.cache_creation_input_tokens);
    assert.equal(written.cache_creation?.ephemeral_5m_input_tokens, 0);
    clock.advance(30 * MINUTE);
    assert.equal((await ask()).cache_read_input_tokens, written.cache_creation_input_tokens);
    clock.advance(60 * MINUTE + 1);
    assert.equal((await ask()).cache_read_input_tokens, 0);
  });

  it('splits a write across breakpoints by TTL (1h first, then 5m)', async () => {
    const tools: Anthropic.Messages.Tool[] = [
      { name: 'read_file', description: filler(1100, 't'), input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
    ];
    const system = cachedSystem(filler(600), '5m');
    const u = await usage({ model: MODEL, tools, system, messages: [userMessage('q')] });
    const h1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
    const m5 = u.cache_creation?.ephemeral_5m_input_tokens ?? 0;
    assert.ok(h1 >= 1100 && h1 < 1200, `tools prefix written for 1h (${h1})`);
    assert.ok(m5 >= 600 && m5 < 700, `system block written for 5m (${m5})`);
    assert.equal(u.cache_creation_input_tokens, h1 + m5);
  });

  it('writes nothing at a breakpoint whose prefix is short, but includes it in a later long one', async () => {
    const tools: Anthropic.Messages.Tool[] = [
      { name: 'read_file', description: filler(700, 't'), input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
    ];
    const system = cachedSystem(filler(600), '5m');
    const u = await usage({ model: MODEL, tools, system, messages: [userMessage('q')] });
    assert.equal(u.cache_creation?.ephemeral_1h_input_tokens, 0, 'the tools prefix alone is under 1,024 tokens');
    assert.ok((u.cache_creation?.ephemeral_5m_input_tokens ?? 0) >= 1300, 'tools + system are written at the 5m breakpoint');
  });

  it('keeps caches per model', async () => {
    const system = cachedSystem(filler(1100));
    const params = { system, messages: [userMessage('q')] };
    const a = await usage({ model: MODEL, ...params });
    const b = await usage({ model: 'claude-opus-5-5', ...params });
    const c = await usage({ model: MODEL, ...params });
    assert.ok((a.cache_creation_input_tokens ?? 0) > 0);
    assert.equal(b.cache_read_input_tokens, 0, 'another model does not see the first model’s cache');
    assert.equal(b.cache_creation_input_tokens, a.cache_creation_input_tokens);
    assert.equal(c.cache_read_input_tokens, a.cache_creation_input_tokens);
    assert.equal(sim.billed(MODEL).cacheReadTokens, c.cache_read_input_tokens);
    assert.equal(sim.billed('claude-opus-5-5').cacheReadTokens, 0);
    assert.equal(sim.billed().requests, 3);
  });

  it('matches prefixes exactly, ignoring key order and the markers themselves', async () => {
    const tool = (order: 'ab' | 'ba'): Anthropic.Messages.Tool =>
      order === 'ab'
        ? { name: 'grep', description: filler(1100, 'g'), input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } }
        : { cache_control: { type: 'ephemeral' }, input_schema: { type: 'object' }, description: filler(1100, 'g'), name: 'grep' };
    const first = await usage({ model: MODEL, tools: [tool('ab')], messages: [userMessage('q')] });
    const reordered = await usage({ model: MODEL, tools: [tool('ba')], messages: [userMessage('q')] });
    assert.equal(reordered.cache_read_input_tokens, first.cache_creation_input_tokens);
    const changed = await usage({
      model: MODEL,
      tools: [{ ...tool('ab'), description: `${filler(1100, 'g')}!` }],
      messages: [userMessage('q')],
    });
    assert.equal(changed.cache_read_input_tokens, 0, 'one changed character is a different prefix');
  });

  it('reads an earlier conversation breakpoint when the breakpoint moves forward (lookback)', async () => {
    const system = cachedSystem(filler(1100));
    const turn1: Anthropic.Messages.MessageParam = { role: 'user', content: [{ type: 'text', text: 'first question', cache_control: { type: 'ephemeral' } }] };
    const first = await usage({ model: MODEL, system, messages: [turn1] });
    const turn1Plain: Anthropic.Messages.MessageParam = { role: 'user', content: [{ type: 'text', text: 'first question' }] };
    const second = await usage({
      model: MODEL,
      system,
      messages: [turn1Plain, { role: 'assistant', content: 'an answer' }, { role: 'user', content: [{ type: 'text', text: 'second question', cache_control: { type: 'ephemeral' } }] }],
    });
    assert.equal(second.cache_read_input_tokens, (first.cache_creation_input_tokens ?? 0) + first.input_tokens);
    assert.ok((second.cache_creation_input_tokens ?? 0) > 0, 'the new tail is written');
    assert.equal(second.input_tokens, 0, 'nothing after the last breakpoint');
  });

  it('refuses more than 4 breakpoints, and a 1h breakpoint after a 5m one, with 400', async () => {
    const block = (text: string): Anthropic.Messages.TextBlockParam => ({ type: 'text', text, cache_control: { type: 'ephemeral' } });
    await assert.rejects(
      usage({ model: MODEL, system: [block('a'), block('b'), block('c'), block('d'), block('e')], messages: [userMessage('q')] }),
      (e: unknown) => e instanceof Anthropic.BadRequestError && /maximum of 4 blocks with cache_control/.test(e.message),
    );
    await assert.rejects(
      usage({ model: MODEL, system: [...cachedSystem('a', '5m'), ...cachedSystem('b', '1h')], messages: [userMessage('q')] }),
      Anthropic.BadRequestError,
    );
    assert.equal(sim.billed().requests, 0);
  });

  it('applies top-level automatic caching to the last block, and reports cache usage in a stream', async () => {
    const body = { model: MODEL, max_tokens: 20, cache_control: { type: 'ephemeral' }, messages: [userMessage(filler(1100))] };
    const raw = await rawPost(sim, '/v1/messages', body);
    const written = (JSON.parse(raw.text) as { usage: Usage }).usage;
    assert.ok((written.cache_creation_input_tokens ?? 0) >= 1100);
    assert.equal(written.input_tokens, 0);
    const stream = client.messages.stream({ model: MODEL, max_tokens: 20, messages: [{ role: 'user', content: [{ type: 'text', text: filler(1100), cache_control: { type: 'ephemeral' } }] }] });
    const final = await stream.finalMessage();
    assert.equal(final.usage.cache_read_input_tokens, written.cache_creation_input_tokens);
  });
});
