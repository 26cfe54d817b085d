import assert from 'node:assert/strict';
import { costOf, promptTokens, worstCaseCostUsd, ZERO_USAGE } from '../../../src/core/llm/cost';
import { PRICING_TABLE, priceFor, pricingOverridesSchema, type ModelPrice } from '../../../src/core/llm/pricing';

const price = (model: string): ModelPrice => {
  const p = priceFor(model);
  assert.ok(p, `no price for ${model}`);
  return p;
};

describe('pricing table', () => {
  it('lists the 4.5 generation and the newest Haiku, Sonnet and Opus', () => {
    for (const model of ['claude-opus-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-opus-5-5']) {
      assert.ok(PRICING_TABLE[model], model);
    }
  });

  it('writes every rate out instead of using one multiplier for all models', () => {
    const readShare = (model: string) => price(model).cacheRead / price(model).input;
    assert.equal(readShare('claude-opus-4-5'), 0.1);
    assert.equal(readShare('claude-opus-5-5'), 0.05);
    assert.equal(readShare('claude-fable-5-1'), 0.025);
  });

  it('lets a settings override replace a row and price a model the table does not know', () => {
    const overrides = pricingOverridesSchema.parse({
      'claude-opus-5-5': { input: 1, output: 2, cacheWrite5m: 3, cacheWrite1h: 4, cacheRead: 5 },
      'my-model': { input: 1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 },
    });
    assert.equal(priceFor('claude-opus-5-5', overrides)?.input, 1);
    assert.equal(priceFor('my-model', overrides)?.output, 1);
    assert.equal(priceFor('claude-sonnet-5-5', overrides)?.input, 2);
  });

  it('knows nothing about an unknown id, including names inherited from Object', () => {
    assert.equal(priceFor('claude-unknown-9'), undefined);
    assert.equal(priceFor('toString'), undefined);
  });

  it('rejects a negative price in the setting', () => {
    assert.equal(pricingOverridesSchema.safeParse({ m: { input: -1, output: 1, cacheWrite5m: 1, cacheWrite1h: 1, cacheRead: 1 } }).success, false);
  });
});

describe('costOf', () => {
  it('prices a plain call exactly', () => {
    // Sonnet 5.5: 1234 in at $2/MTok + 567 out at $10/MTok = 0.002468 + 0.00567
    const cost = costOf({ ...ZERO_USAGE, inputTokens: 1234, outputTokens: 567 }, price('claude-sonnet-5-5'));
    assert.ok(Math.abs(cost - 0.008138) < 1e-12, String(cost));
  });

  it('prices each token class at its own rate', () => {
    // Opus 5.5: 10 in ($4) + 20 out ($20) + 1000 w5m ($5) + 2000 w1h ($8) + 3000 read ($0.20)
    const usage = { inputTokens: 10, outputTokens: 20, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 2000, cacheReadTokens: 3000 };
    const expected = (10 * 4 + 20 * 20 + 1000 * 5 + 2000 * 8 + 3000 * 0.2) / 1e6;
    assert.ok(Math.abs(costOf(usage, price('claude-opus-5-5')) - expected) < 1e-12);
  });

  it('is exact where naive floating point drifts', () => {
    // Naively 3 * (0.1 / 1e6) is 3.0000000000000004e-7.
    assert.notEqual(3 * (0.1 / 1e6), 3e-7);
    const p: ModelPrice = { input: 0.1, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 };
    assert.equal(costOf({ ...ZERO_USAGE, inputTokens: 3 }, p), 3e-7);
  });

  it('applies the Haiku 5.5 long-prompt band to every token above 100,000 prompt tokens', () => {
    const haiku = price('claude-haiku-5-5');
    const at = { ...ZERO_USAGE, inputTokens: 60_000, cacheReadTokens: 40_000, outputTokens: 1000 };
    assert.equal(promptTokens(at), 100_000);
    assert.ok(Math.abs(costOf(at, haiku) - (60_000 * 0.1 + 40_000 * 0.01 + 1000 * 0.5) / 1e6) < 1e-12);
    const over = { ...at, cacheWrite5mTokens: 1 };
    const expected = (60_000 * 0.5 + 40_000 * 0.05 + 1 * 0.625 + 1000 * 2.5) / 1e6;
    assert.ok(Math.abs(costOf(over, haiku) - expected) < 1e-12);
  });

  it('costs nothing for no tokens', () => {
    assert.equal(costOf(ZERO_USAGE, price('claude-opus-5-5')), 0);
  });
});

describe('worstCaseCostUsd', () => {
  it('charges the estimate at the dearest input-side rate plus max_tokens of output', () => {
    // Sonnet 5.5: 1h write $4 is dearer than input $2.
    assert.ok(Math.abs(worstCaseCostUsd(1000, 500, price('claude-sonnet-5-5')) - (1000 * 4 + 500 * 10) / 1e6) < 1e-12);
  });

  it('uses the long-prompt band when the estimate is above it', () => {
    assert.ok(Math.abs(worstCaseCostUsd(200_000, 1000, price('claude-haiku-5-5')) - (200_000 * 1 + 1000 * 2.5) / 1e6) < 1e-12);
  });
});
