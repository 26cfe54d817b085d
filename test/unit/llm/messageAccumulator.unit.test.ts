import assert from 'node:assert/strict';
import { silentLogger } from '../../../src/core/logger';
import { MalformedResponseError, ResponseTooLargeError } from '../../../src/core/llm/llmErrors';
import { MessageAccumulator } from '../../../src/core/llm/messageAccumulator';

const start = (usage: Record<string, unknown>) => ({ type: 'message_start', message: { id: 'msg_1', model: 'claude-opus-5-5', usage } });

describe('MessageAccumulator', () => {
  it('splits cache writes into 5m and 1h and lets message_delta overwrite only what it reports', () => {
    const acc = new MessageAccumulator(1000, silentLogger);
    acc.apply(
      start({
        input_tokens: 10,
        output_tokens: 1,
        cache_creation_input_tokens: 300,
        cache_read_input_tokens: 50,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
      }),
    );
    acc.apply({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 77, input_tokens: null } });
    acc.apply({ type: 'message_stop' });
    assert.deepEqual(acc.usage(), { inputTokens: 10, outputTokens: 77, cacheWrite5mTokens: 100, cacheWrite1hTokens: 200, cacheReadTokens: 50 });
    assert.equal(acc.isComplete, true);
    assert.equal(acc.message().stopReason, 'end_turn');
  });

  it('counts cache writes without a split as 5-minute writes', () => {
    const acc = new MessageAccumulator(1000, silentLogger);
    acc.apply(start({ input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 40 }));
    assert.equal(acc.usage().cacheWrite5mTokens, 40);
    assert.equal(acc.usage().cacheWrite1hTokens, 0);
  });

  it('keeps thinking blocks with their signature so they can be sent back', () => {
    const acc = new MessageAccumulator(1000, silentLogger);
    acc.apply(start({ input_tokens: 1, output_tokens: 1 }));
    acc.apply({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
    acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me see' } });
    acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } });
    acc.apply({ type: 'content_block_start', index: 1, content_block: { type: 'server_tool_use', id: 's', name: 'web' } });
    acc.apply({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{' } });
    acc.apply({ type: 'content_block_start', index: 2, content_block: { type: 'text', text: 'Hi' } });
    acc.apply({ type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: {} } });
    assert.deepEqual(acc.message().content, [
      { type: 'thinking', thinking: 'Let me see', signature: 'sig' },
      { type: 'text', text: 'Hi' },
    ]);
  });

  it('rejects a known event with the wrong shape, and anything that is not an event', () => {
    const acc = new MessageAccumulator(1000, silentLogger);
    assert.throws(() => acc.apply({ type: 'message_start', message: { id: 1 } }), MalformedResponseError);
    assert.throws(() => acc.apply('text'), MalformedResponseError);
    assert.throws(() => acc.apply({ type: 'content_block_delta', index: -1, delta: { type: 'text_delta', text: '' } }), MalformedResponseError);
  });

  it('stops at the size limit', () => {
    const acc = new MessageAccumulator(5, silentLogger);
    acc.apply({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'abc' } });
    assert.throws(() => acc.apply({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'def' } }), ResponseTooLargeError);
  });
});
