import assert from 'node:assert/strict';
import type { Logger } from '../../../src/core/logger';
import { ZERO_USAGE } from '../../../src/core/llm/cost';
import { ModelCost } from '../../../src/core/llm/modelCost';
import { DEFAULT_TIER_MODELS, modelForTier, tierModelsSchema, tierOfModel } from '../../../src/core/llm/tiers';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

describe('ModelCost', () => {
  it('gives null for an unknown model and warns once per model id, not per call', () => {
    const logger = recordingLogger();
    const cost = new ModelCost({ logger, warned: new Set() });
    for (let i = 0; i < 3; i++) assert.equal(cost.costUsd('claude-nope-1', { ...ZERO_USAGE, inputTokens: 10 }), null);
    assert.equal(cost.worstCaseUsd('claude-nope-1', 10, 10), null);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0] ?? '', /claude-nope-1/);
    cost.costUsd('claude-nope-2', ZERO_USAGE);
    assert.equal(logger.warnings.length, 2);
  });

  it('shares the warned set across instances (one warning per process)', () => {
    const logger = recordingLogger();
    const warned = new Set<string>();
    new ModelCost({ logger, warned }).costUsd('claude-nope-3', ZERO_USAGE);
    new ModelCost({ logger, warned }).costUsd('claude-nope-3', ZERO_USAGE);
    assert.equal(logger.warnings.length, 1);
  });

  it('prices a known model without warning', () => {
    const logger = recordingLogger();
    const cost = new ModelCost({ logger, warned: new Set() });
    assert.equal(cost.costUsd('claude-opus-5-5', { ...ZERO_USAGE, outputTokens: 1_000_000 }), 20);
    assert.equal(logger.warnings.length, 0);
  });
});

describe('tiers', () => {
  it('defaults to the newest Haiku, Sonnet and Opus', () => {
    assert.deepEqual(tierModelsSchema.parse(undefined), DEFAULT_TIER_MODELS);
    assert.equal(modelForTier('fast'), 'claude-haiku-5-5');
    assert.equal(modelForTier('balanced'), 'claude-sonnet-5-5');
    assert.equal(modelForTier('strong'), 'claude-opus-5-5');
  });

  it('lets one tier be overridden while the others keep their default', () => {
    const tiers = tierModelsSchema.parse({ strong: 'claude-opus-4-8' });
    assert.equal(modelForTier('strong', tiers), 'claude-opus-4-8');
    assert.equal(modelForTier('fast', tiers), 'claude-haiku-5-5');
    assert.equal(tierOfModel('claude-opus-4-8', tiers), 'strong');
    assert.equal(tierOfModel('claude-opus-5-5', tiers), null);
  });

  it('rejects an empty model id', () => {
    assert.equal(tierModelsSchema.safeParse({ fast: '  ' }).success, false);
  });
});
