import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { MeteringProxy } from '../../../src/core/llm/meteringProxy';
import { ModelCost } from '../../../src/core/llm/modelCost';
import { estimateInputTokens, MIN_USEFUL_MAX_TOKENS } from '../../../src/core/llm/requestEstimate';
import { isReservation } from '../../../src/core/llm/reservationRecord';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { silentLogger } from '../../../src/core/logger';
import { BudgetGuard } from '../../../src/core/store/budget';
import { textTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

const MODEL = 'claude-sonnet-5-5';
const TAGS = { workspace: 'ws', batchId: 'B1', ticketId: 'T1', stage: 'work', tier: 'balanced', engine: 'claude-code' } as const;
const LIMITS = { maxCostUsd: 100, maxOutputTokens: 1_000_000 };
// Claude Code's requests are long and ask for 8,192 output tokens at a time.
const REQUEST = {
  model: MODEL,
  max_tokens: 8_192,
  system: [{ type: 'text' as const, text: 'You are a careful coding agent working in one repository. '.repeat(150), cache_control: { type: 'ephemeral' as const } }],
  messages: [{ role: 'user' as const, content: 'Fix the ticket.' }],
};

interface Harness {
  sim: Simulator;
  proxy: MeteringProxy;
  guard: BudgetGuard;
  records: UsageRecord[];
  client: Anthropic;
}

const cost = new ModelCost({ logger: silentLogger });
const worstCase = (input: number, maxTokens: number) => cost.worstCaseUsd(MODEL, input, maxTokens, false) as number;

/** A proxy metered by a real budget guard with a hard batch limit, as BatchRuntime wires it. */
async function harness(batchUsd: number): Promise<Harness> {
  const sim = await startSimulator({ responder: () => textTurn('Done: the ticket is fixed.') });
  const guard = new BudgetGuard({ limits: { monthlyUsd: null, batchUsd }, monthSpentUsd: 0, month: '2026-12', alerts: { wasShown: async () => false, markShown: async () => undefined } });
  const records: UsageRecord[] = [];
  const meter = guard.clientHooks(async (record) => void (isReservation(record) || records.push(record)));
  const proxy = await MeteringProxy.start({ upstream: { baseURL: sim.url, apiKey: 'sk-ant-real-key' }, meter, cost, logger: silentLogger });
  const run = proxy.openRun(TAGS, LIMITS);
  return { sim, proxy, guard, records, client: new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries: 0 }) };
}

async function closeAll(h: Harness): Promise<void> {
  await h.proxy.close();
  await h.sim.close();
}

const sentBodies = (sim: Simulator, path: string) => sim.requests.filter((r) => r.path === path).map((r) => r.body as { max_tokens?: number; thinking?: { budget_tokens: number } });

describe('metering proxy: calls sized to the budget left', () => {
  it('sends a call whose full worst case does not fit with the max_tokens the budget can pay for, and settles it', async () => {
    const estimate = estimateInputTokens(REQUEST);
    // Room for about 3,000 output tokens next to the prompt: the full 8,192 does not fit, 1,024 does.
    const limit = worstCase(estimate, 3_000);
    const h = await harness(limit);
    try {
      const answer = await h.client.messages.create(REQUEST);
      assert.equal(answer.stop_reason, 'end_turn');
      const [sent] = sentBodies(h.sim, '/v1/messages');
      assert.ok(sent?.max_tokens !== undefined && sent.max_tokens < REQUEST.max_tokens && sent.max_tokens >= MIN_USEFUL_MAX_TOKENS, `sent max_tokens ${sent?.max_tokens}`);
      assert.ok(worstCase(estimate, sent.max_tokens) <= limit, 'the sized call fits the limit');
      assert.equal(h.records.length, 1);
      assert.deepEqual(h.guard.snapshot().reservedUsd, 0, 'the reservation was settled by the attempt it belonged to');
      assert.ok(h.guard.snapshot().batchSpentUsd <= limit);
    } finally {
      await closeAll(h);
    }
  });

  it("asks the API's token count when not even the smallest call fits on the estimate, and goes on when the count fits", async () => {
    const estimate = estimateInputTokens(REQUEST);
    const h = await harness(1);
    const counted = (await h.client.messages.countTokens({ model: MODEL, system: REQUEST.system, messages: REQUEST.messages })).input_tokens;
    await closeAll(h);
    assert.ok(counted * 1.05 < estimate, 'the simulator counts fewer tokens than the generous estimate');
    // Between the smallest call on the count and the smallest call on the estimate.
    const limit = (worstCase(Math.ceil(counted * 1.05), MIN_USEFUL_MAX_TOKENS) + worstCase(estimate, MIN_USEFUL_MAX_TOKENS)) / 2;
    const g = await harness(limit);
    try {
      await g.client.messages.create(REQUEST);
      assert.equal(sentBodies(g.sim, '/v1/messages/count_tokens').length, 1, 'the proxy counted the prompt once');
      assert.equal(sentBodies(g.sim, '/v1/messages').length, 1, 'and sent the call');
      assert.ok(g.guard.snapshot().batchSpentUsd <= limit);
    } finally {
      await closeAll(g);
    }
  });

  it('keeps a thinking budget below the max_tokens it sized the call to', async () => {
    const thinking = { ...REQUEST, max_tokens: 16_000, thinking: { type: 'enabled' as const, budget_tokens: 12_000 } };
    const limit = worstCase(estimateInputTokens(thinking), 4_000);
    const h = await harness(limit);
    try {
      await h.client.messages.create(thinking);
      const [sent] = sentBodies(h.sim, '/v1/messages');
      assert.ok(sent?.max_tokens !== undefined && sent.max_tokens < 16_000 && sent.max_tokens >= 2 * MIN_USEFUL_MAX_TOKENS, `sent max_tokens ${sent?.max_tokens}`);
      assert.ok(sent.thinking !== undefined && sent.thinking.budget_tokens >= MIN_USEFUL_MAX_TOKENS && sent.thinking.budget_tokens < sent.max_tokens);
    } finally {
      await closeAll(h);
    }
  });

  it('refuses with a 403 when not even the smallest call fits', async () => {
    const h = await harness(0.000_01);
    try {
      await assert.rejects(h.client.messages.create(REQUEST), (e: unknown) => e instanceof Anthropic.PermissionDeniedError && /budget/.test(e.message));
      assert.equal(sentBodies(h.sim, '/v1/messages').length, 0, 'the refused call never reached the API');
      assert.equal(h.guard.snapshot().reservedUsd, 0);
    } finally {
      await closeAll(h);
    }
  });
});
