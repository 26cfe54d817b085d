import assert from 'node:assert/strict';
import { UsageNotRecordedError } from '../../../src/core/llm/llmErrors';
import { listModels } from '../../../src/core/llm/models';
import { toolUseTurn } from '../../../src/simulator/responders';
import { ledgerTotals, makeClient, META, withSimulator } from './llmTestKit';

/** Sonnet 5.5 rates, USD per MTok, written out here so the test does not just re-run the code under test. */
const SONNET_55 = { input: 2, output: 10, w5m: 2.5, w1h: 4, read: 0.1 };
const expectedSonnetCost = (u: { inputTokens: number; outputTokens: number; cacheWrite5mTokens: number; cacheWrite1hTokens: number; cacheReadTokens: number }) =>
  (u.inputTokens * SONNET_55.input +
    u.outputTokens * SONNET_55.output +
    u.cacheWrite5mTokens * SONNET_55.w5m +
    u.cacheWrite1hTokens * SONNET_55.w1h +
    u.cacheReadTokens * SONNET_55.read) /
  1e6;

/** ~1,500 tokens by the simulator's count: above Sonnet's 1,024-token cache minimum. */
const LONG_SYSTEM = 'You are a careful engineer. '.repeat(215);
/** ~500 tokens: below it. */
const SHORT_SYSTEM = 'You are a careful engineer. '.repeat(70);

const ask = (system: string, ttl?: '1h') => ({
  model: 'claude-sonnet-5-5',
  max_tokens: 256,
  system: [{ type: 'text' as const, text: system, cache_control: ttl ? { type: 'ephemeral' as const, ttl } : { type: 'ephemeral' as const } }],
  messages: [{ role: 'user' as const, content: 'Summarise the ticket.' }],
});

describe('LlmClient usage and cost (against the simulator)', () => {
  it('records one exact usage record for a plain call', async () => {
    await withSimulator(async (sim) => {
      const { client, records } = makeClient(sim.url);
      const result = await client.call(
        { model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hello there' }] },
        META,
      );
      assert.equal(result.text, 'This is a simulated response.');
      assert.equal(records.length, 1);
      const [record] = records;
      assert.ok(record);
      const billed = sim.billed();
      assert.equal(record.inputTokens, billed.inputTokens);
      assert.equal(record.outputTokens, billed.outputTokens);
      assert.ok(record.inputTokens > 0 && record.outputTokens > 0);
      assert.equal(record.cacheReadTokens + record.cacheWrite5mTokens + record.cacheWrite1hTokens, 0);
      assert.ok(Math.abs((record.costUsd ?? -1) - expectedSonnetCost(record)) < 1e-9);
      assert.equal(result.costUsd, record.costUsd);
      assert.equal(record.attempt, 1);
      assert.equal(record.requestId, sim.requests[0]?.id);
      assert.equal(result.requestId, record.requestId);
      assert.deepEqual(
        { workspace: record.workspace, batchId: record.batchId, ticketId: record.ticketId, stage: record.stage, tier: record.tier, model: record.model },
        { workspace: 'ws', batchId: 'b1', ticketId: 'T1', stage: 'work', tier: 'balanced', model: 'claude-sonnet-5-5' },
      );
      assert.equal(record.cached, false);
      assert.equal(record.error, undefined);
      assert.equal(record.partial, undefined);
    });
  });

  it('writes a long prefix to the cache, reads it on the second call, and prices both exactly', async () => {
    await withSimulator(async (sim) => {
      const { client, records } = makeClient(sim.url);
      await client.call(ask(LONG_SYSTEM), META);
      await client.call(ask(LONG_SYSTEM), META);
      const [write, read] = records;
      assert.ok(write && read);
      assert.ok(write.cacheWrite5mTokens >= 1024, `wrote ${write.cacheWrite5mTokens}`);
      assert.equal(write.cacheReadTokens, 0);
      assert.equal(read.cacheReadTokens, write.cacheWrite5mTokens);
      assert.equal(read.cacheWrite5mTokens, 0);
      for (const record of records) assert.ok(Math.abs((record.costUsd ?? -1) - expectedSonnetCost(record)) < 1e-9);
      assert.ok((read.costUsd ?? 1) < (write.costUsd ?? 0), 'the cached call is cheaper');
      const billed = sim.billed('claude-sonnet-5-5');
      assert.deepEqual(ledgerTotals(records), {
        inputTokens: billed.inputTokens,
        outputTokens: billed.outputTokens,
        cacheWrite5mTokens: billed.cacheWrite5mTokens,
        cacheWrite1hTokens: billed.cacheWrite1hTokens,
        cacheReadTokens: billed.cacheReadTokens,
      });
    });
  });

  it('does not cache a prefix shorter than the model minimum', async () => {
    await withSimulator(async (sim) => {
      const { client, records } = makeClient(sim.url);
      await client.call(ask(SHORT_SYSTEM), META);
      await client.call(ask(SHORT_SYSTEM), META);
      for (const record of records) {
        assert.equal(record.cacheWrite5mTokens + record.cacheReadTokens, 0);
        assert.ok(Math.abs((record.costUsd ?? -1) - expectedSonnetCost(record)) < 1e-9);
      }
    });
  });

  it('records 1-hour cache writes in their own column at their own rate', async () => {
    await withSimulator(async (sim) => {
      const { client, records } = makeClient(sim.url);
      await client.call(ask(LONG_SYSTEM, '1h'), META);
      const [record] = records;
      assert.ok(record);
      assert.ok(record.cacheWrite1hTokens >= 1024);
      assert.equal(record.cacheWrite5mTokens, 0);
      assert.ok(Math.abs((record.costUsd ?? -1) - expectedSonnetCost(record)) < 1e-9);
    });
  });

  it('returns tool_use blocks with their input parsed', async () => {
    await withSimulator(async (sim) => {
      sim.setResponder(() => toolUseTurn('read_file', { path: 'src/a.ts', lines: [1, 2] }));
      const { client } = makeClient(sim.url);
      const result = await client.call(
        {
          model: 'claude-haiku-5-5',
          max_tokens: 200,
          tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
          messages: [{ role: 'user', content: 'Open a.ts' }],
        },
        { ...META, tier: 'fast' },
      );
      assert.equal(result.stopReason, 'tool_use');
      assert.equal(result.toolUses.length, 1);
      assert.equal(result.toolUses[0]?.name, 'read_file');
      assert.deepEqual(result.toolUses[0]?.input, { path: 'src/a.ts', lines: [1, 2] });
    });
  });

  it('streams text to onText as it arrives', async () => {
    await withSimulator(async (sim) => {
      const { client } = makeClient(sim.url);
      const pieces: string[] = [];
      const result = await client.call({ model: 'claude-sonnet-5-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }, META, {
        onText: (t) => pieces.push(t),
      });
      assert.ok(pieces.length >= 1);
      assert.equal(pieces.join(''), result.text);
    });
  });

  it('gives costUsd null and one warning for a model without a price', async () => {
    await withSimulator(async (sim) => {
      const { client, records, logger } = makeClient(sim.url);
      const request = { model: 'claude-fable-5-2', max_tokens: 20, messages: [{ role: 'user' as const, content: 'hi' }] };
      await client.call(request, META);
      await client.call(request, META);
      assert.equal(records.length, 2);
      for (const record of records) {
        assert.equal(record.costUsd, null);
        assert.ok(record.inputTokens > 0);
      }
      // The warned set is process-wide; no other test prices claude-fable-5-2.
      assert.equal(logger.warnings.filter((w) => w.includes('claude-fable-5-2')).length, 1);
    });
  });

  it('awaits the usage sink before returning, and withholds the result when it fails', async () => {
    await withSimulator(async (sim) => {
      let flushed = false;
      const slow = makeClient(sim.url, {
        recordUsage: async () => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          flushed = true;
        },
      });
      await slow.client.call({ model: 'claude-sonnet-5-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }, META);
      assert.equal(flushed, true);

      const broken = makeClient(sim.url, {
        recordUsage: () => {
          throw new Error('disk full');
        },
      });
      await assert.rejects(
        broken.client.call({ model: 'claude-sonnet-5-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }, META),
        UsageNotRecordedError,
      );
    });
  });

  it('asks the budget hook first with the worst case, and sends nothing when it refuses', async () => {
    await withSimulator(async (sim) => {
      const seen: (number | null)[] = [];
      class BudgetStop extends Error {}
      const { client, records } = makeClient(sim.url, {
        beforeCall: (worst) => {
          seen.push(worst);
          if (seen.length > 1) throw new BudgetStop('over budget');
        },
      });
      await client.call({ model: 'claude-sonnet-5-5', max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }] }, { ...META, inputTokenEstimate: 500 });
      // No 1-hour breakpoint in the request: the dearest input rate it can incur is the 5-minute write ($2.5).
      assert.ok(Math.abs((seen[0] ?? 0) - (500 * 2.5 + 1000 * 10) / 1e6) < 1e-12);
      await assert.rejects(client.call({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, META), BudgetStop);
      assert.equal(sim.requests.length, 1);
      assert.equal(records.length, 1);
    });
  });

  it('lists models through GET /v1/models', async () => {
    await withSimulator(async (sim) => {
      const { client } = makeClient(sim.url);
      const models = await listModels(client.anthropic);
      const ids = models.map((m) => m.id);
      for (const id of ['claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-opus-5-5']) assert.ok(ids.includes(id), id);
    });
  });
});
