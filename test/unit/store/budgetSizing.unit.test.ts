import assert from 'node:assert/strict';
import type { CallSizing } from '../../../src/core/llm/callSizing';
import { LlmClient } from '../../../src/core/llm/llmClient';
import { MIN_USEFUL_MAX_TOKENS } from '../../../src/core/llm/requestEstimate';
import { isReservation } from '../../../src/core/llm/reservationRecord';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { BudgetExceededError, BudgetGuard } from '../../../src/core/store/budget';
import { memoryAlertMemory } from '../../../src/core/store/budgetAlerts';
import { startSimulator } from '../../../src/simulator/simulator';
import { textTurn } from '../../../src/simulator/responders';

const batchGuard = (batchUsd: number, batchSpentUsd = 0) =>
  new BudgetGuard({ limits: { monthlyUsd: null, batchUsd }, monthSpentUsd: 0, month: '2025-06', batchSpentUsd, alerts: memoryAlertMemory(), clock: () => Date.parse('2025-06-15T10:00:00Z') });

/** $0.10 of prompt plus $0.0001 per output token: simple numbers to check the sizing against. */
const linear = (n: number) => 0.1 + n * 0.0001;
const sizing = (over: Partial<CallSizing> = {}): CallSizing => ({
  requestedMaxTokens: 8192,
  minMaxTokens: 1024,
  worstCaseFor: linear,
  countedWorstCase: async () => null,
  attempt: {},
  tags: { workspace: 'w', batchId: 'b', ticketId: null, stage: 'work', tier: 'strong', attempt: 1 },
  ...over,
});

describe('BudgetGuard: sizing a call to the budget left', () => {
  it('keeps the requested max_tokens when its worst case fits, and reserves exactly that', () => {
    const g = batchGuard(1);
    const fitted = g.reserveFitting(linear, 8192, 1024);
    assert.equal(fitted?.maxTokens, 8192);
    assert.ok(Math.abs(g.reservedUsd() - linear(8192)) < 1e-12);
  });

  it('sizes max_tokens down to what the budget left pays for, never below the minimum', () => {
    const g = batchGuard(1, 0.5);
    const fitted = g.reserveFitting(linear, 8192, 1024);
    // 0.5 left: 0.1 of prompt, 0.4 of output at 0.0001 → 4,000 tokens.
    assert.equal(fitted?.maxTokens, 4000);
    assert.ok(g.reservedUsd() <= 0.5 + 1e-12);
    // 0.5 − 0.5 reserved leaves nothing: not even the minimum fits.
    assert.equal(g.reserveFitting(linear, 8192, 1024), null);
    assert.equal(batchGuard(1, 0.85).reserveFitting(linear, 8192, 1024), null, '0.15 left < 0.1 + 1,024 × 0.0001');
    const small = batchGuard(1, 0.85).reserveFitting(linear, 8192, 400)?.maxTokens ?? 0;
    assert.ok(small >= 499 && small <= 500, `0.05 of output room → 500 tokens (one fewer if the float sum lands above 1): ${small}`);
  });

  it('refuses with BudgetExceededError when even the minimum cannot fit, and nothing runs to wait for', async () => {
    const g = batchGuard(1, 0.9);
    await assert.rejects(g.reserveSized(sizing()), (e: unknown) => e instanceof BudgetExceededError && e.limit === 'batch');
    assert.equal(g.reservedUsd(), 0);
  });

  it("asks for the API's token count when the prompt estimate does not fit", async () => {
    const g = batchGuard(1, 0.82);
    let asked = 0;
    const fitted = await g.reserveSized(sizing({ countedWorstCase: async () => (asked++, (n) => 0.05 + n * 0.0001) }));
    assert.equal(asked, 1);
    assert.ok(fitted.maxTokens >= 1299 && fitted.maxTokens <= 1300, `0.18 left, 0.05 of counted prompt → 1,300 tokens: ${fitted.maxTokens}`);
  });

  it('waits for a running call to settle instead of refusing a call that fits once it has', async () => {
    const g = batchGuard(1);
    const running = g.reserve(0.8);
    let started: number | null = null;
    const waiting = g.reserveSized(sizing()).then((f) => (started = f.maxTokens));
    await new Promise((r) => setImmediate(r));
    assert.equal(started, null, 'held back while the running call holds its worst case');
    await g.settle(running, 0.2);
    await waiting;
    assert.equal(started, 7000, '0.8 left after the settle → 7,000 tokens');
  });

  it('against the simulator: parallel calls sized by the guard spend most of a hard budget and never cross it', async function () {
    this.timeout(20_000);
    // Every answer wants far more than max_tokens; the simulator (like the API) stops at max_tokens.
    const sim = await startSimulator({ responder: () => textTurn('x'.repeat(40_000), 10_000) });
    const limit = 0.25;
    const guard = batchGuard(limit);
    const records: UsageRecord[] = [];
    let spent = 0;
    let peak = 0;
    const hooks = guard.clientHooks(async (r) => {
      if (isReservation(r)) return;
      records.push(r);
      spent += r.costUsd ?? 0;
      peak = Math.max(peak, spent);
    });
    const client = new LlmClient({ apiKey: 'sk-test', baseURL: sim.url, recordUsage: hooks.recordUsage, beforeCall: hooks.beforeCall, retry: { maxAttempts: 1 } });
    const maxTokensSent: number[] = [];
    let refused = 0;
    try {
      await Promise.all(
        Array.from({ length: 3 }, async (_, worker) => {
          for (let i = 0; i < 20; i++) {
            const prompt = `worker ${worker} call ${i} `.repeat(50 + 40 * ((worker + i) % 5));
            try {
              const result = await client.call({ model: 'claude-opus-5-5', max_tokens: 8192, messages: [{ role: 'user', content: prompt }] }, { workspace: 'w', batchId: 'b', ticketId: null, stage: 'work', tier: 'strong' });
              maxTokensSent.push(result.usage.outputTokens);
            } catch (error) {
              if (!(error instanceof BudgetExceededError)) throw error;
              refused++;
              return;
            }
          }
        }),
      );
    } finally {
      await sim.close();
    }
    assert.ok(refused > 0, 'the budget ran out');
    assert.ok(peak <= limit, `ledger peaked at $${peak} over the $${limit} limit`);
    assert.ok(spent / limit >= 0.8, `only ${((100 * spent) / limit).toFixed(1)}% of the budget was spent`);
    assert.ok(maxTokensSent.some((n) => n < 8192 && n >= MIN_USEFUL_MAX_TOKENS), 'some calls were sized down');
    assert.equal(records.length, sim.requests.filter((r) => r.path === '/v1/messages').length);
  });
});
