import assert from 'node:assert/strict';
import { typicalBatchCost, TYPICAL_RUN } from '../../../src/core/batch/typicalCost';
import { costOf } from '../../../src/core/llm/cost';
import { priceFor } from '../../../src/core/llm/pricing';
import { DEFAULT_TIER_MODELS } from '../../../src/core/llm/tiers';
import type { RouteDecision } from '../../../src/core/routing/routeTicket';
import type { ModelClassRow } from '../../../src/core/store/metricsSchema';

const decision = (id: string, tier: 'fast' | 'balanced', complexityClass: RouteDecision['complexityClass'] = 'standard'): RouteDecision => ({ id, score: 30, complexityClass, tier, modelId: null, maxTier: 'strong', source: 'score', reason: '', underspecified: false, missing: [] });
const row = (model: string, cls: ModelClassRow['class'], attempts: number, costUsd: number): ModelClassRow => ({ model, class: cls, calls: attempts * 5, attempts, firstPassSuccesses: attempts, firstPassRate: 1, fixLoops: 0, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd, unpricedCalls: 0, durationMs: 0, latencyMs: 0 });

describe('typical batch cost (the run confirmation\'s "expected")', () => {
  const base = { tierModels: DEFAULT_TIER_MODELS, pricing: {}, minSamples: 3 };

  it('prices a ticket without history as a default first run on its model plus a fast T1 review', () => {
    const fast = priceFor(DEFAULT_TIER_MODELS.fast);
    assert.ok(fast);
    const work = costOf({ inputTokens: TYPICAL_RUN.inputTokens, outputTokens: TYPICAL_RUN.outputTokens, cacheWrite5mTokens: TYPICAL_RUN.cacheWriteTokens, cacheWrite1hTokens: 0, cacheReadTokens: TYPICAL_RUN.cacheReadTokens }, fast);
    const review = costOf({ inputTokens: TYPICAL_RUN.reviewInputTokens, outputTokens: TYPICAL_RUN.reviewOutputTokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 }, fast);
    const typical = typicalBatchCost({ ...base, decisions: [decision('A', 'fast')] });
    assert.equal(typical.usd.toFixed(9), (work + review).toFixed(9));
    assert.equal(typical.fromHistory, 0);
    const dearer = typicalBatchCost({ ...base, decisions: [decision('A', 'balanced')] });
    assert.ok(dearer.usd > typical.usd, 'a stronger tier costs more');
  });

  it('uses this repository\'s average attempt cost for a (model, class) once it has enough samples', () => {
    const history = [row(DEFAULT_TIER_MODELS.fast, 'standard', 4, 0.2), row(DEFAULT_TIER_MODELS.fast, 'complex', 2, 10)];
    const typical = typicalBatchCost({ ...base, history, decisions: [decision('A', 'fast'), decision('B', 'fast', 'complex')] });
    const defaultComplex = typicalBatchCost({ ...base, decisions: [decision('B', 'fast', 'complex')] }).usd;
    assert.equal(typical.fromHistory, 1, 'two samples are too few for the complex row');
    assert.equal(typical.usd.toFixed(9), (0.05 + defaultComplex).toFixed(9));
  });
});
