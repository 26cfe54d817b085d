import assert from 'node:assert/strict';
import { capChoice, chooseAdaptiveTier } from '../../../src/core/routing/adaptiveRouting';
import { outcomesFor, outcomesTableSchema, type OutcomeRow } from '../../../src/core/routing/outcomesTable';
import { compareTiers } from '../../../src/core/routing/tierComparison';

const NEVER_EXPLORE = { random: () => 0.999 };
const row = (tier: OutcomeRow['tier'], successes: number, attempts: number, costUsd = attempts * 0.1, fixLoops = 0): OutcomeRow => ({
  class: 'standard', tier, successes, attempts, fixLoops, costUsd,
});

describe('chooseAdaptiveTier', () => {
  it('keeps the default tier until a tier has enough samples', () => {
    // 4/4 is perfect but below the minimum of 5 samples.
    const c = chooseAdaptiveTier([row('fast', 4, 4)], 'standard', 'balanced', NEVER_EXPLORE);
    assert.deepEqual([c.tier, c.source], ['balanced', 'default']);
  });

  it('picks the cheapest tier whose Wilson lower bound clears the threshold', () => {
    // fast 12/20 (lower bound ≈ 0.39) fails; balanced 19/20 (≈ 0.76) clears 0.70; strong also clears but costs more.
    const table = [row('fast', 12, 20), row('balanced', 19, 20), row('strong', 20, 20)];
    const c = chooseAdaptiveTier(table, 'standard', 'strong', NEVER_EXPLORE);
    assert.deepEqual([c.tier, c.source], ['balanced', 'learned']);
    assert.match(c.reason, /19\/20/);
  });

  it('moves up from a cheap default when only a stronger tier proves itself', () => {
    const c = chooseAdaptiveTier([row('fast', 2, 10), row('strong', 30, 30)], 'standard', 'fast', NEVER_EXPLORE);
    assert.equal(c.tier, 'strong');
  });

  it('honours the threshold and minimum samples parameters', () => {
    const table = [row('fast', 5, 5)]; // lower bound ≈ 0.57
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', NEVER_EXPLORE).tier, 'strong');
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', { ...NEVER_EXPLORE, threshold: 0.5 }).tier, 'fast');
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', { ...NEVER_EXPLORE, threshold: 0.5, minSamples: 6 }).tier, 'strong');
  });

  it('explores one tier cheaper with the exploration share, drawn from the injected source', () => {
    const table = [row('balanced', 20, 20)];
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', { random: () => 0.05 }).source, 'exploration');
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', { random: () => 0.05 }).tier, 'fast');
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', { random: () => 0.15 }).tier, 'balanced');
    assert.equal(chooseAdaptiveTier(table, 'standard', 'strong', { random: () => 0.15, explorationShare: 0.2 }).tier, 'fast');
    // Nothing is cheaper than fast.
    assert.equal(chooseAdaptiveTier([row('fast', 20, 20)], 'standard', 'strong', { random: () => 0 }).tier, 'fast');
  });

  it('explores about the configured share of picks over many draws', () => {
    let seed = 12345;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let explored = 0;
    for (let i = 0; i < 5000; i++) {
      if (chooseAdaptiveTier([row('strong', 20, 20)], 'standard', 'strong', { random }).source === 'exploration') explored++;
    }
    assert.ok(explored > 400 && explored < 600, `explored ${explored} of 5000`);
  });

  it('caps a choice at the ticket ceiling and says so', () => {
    const capped = capChoice({ tier: 'strong', source: 'learned', reason: 'because' }, 'balanced');
    assert.equal(capped.tier, 'balanced');
    assert.match(capped.reason, /capped at balanced/);
  });
});

describe('outcomes table', () => {
  it('sums duplicate rows and validates stored data', () => {
    const table = outcomesTableSchema.parse([row('fast', 3, 5, 0.5, 1), row('fast', 4, 5, 0.25, 2)]);
    assert.deepEqual(outcomesFor(table, 'standard', 'fast'), { class: 'standard', tier: 'fast', successes: 7, attempts: 10, fixLoops: 3, costUsd: 0.75 });
    assert.equal(outcomesFor(table, 'complex', 'fast').attempts, 0);
    assert.equal(outcomesTableSchema.safeParse([row('fast', 6, 5)]).success, false);
    assert.equal(outcomesTableSchema.safeParse([{ ...row('fast', 1, 5), tier: 'huge' }]).success, false);
  });
});

describe('compareTiers', () => {
  it('reports rates, cost and a significant difference', () => {
    const r = compareTiers([row('fast', 30, 50, 1, 10), row('balanced', 45, 50, 10, 2)], 'standard', 'fast', 'balanced');
    assert.equal(r.cheaper.successRate, 0.6);
    assert.equal(r.incumbent.successRate, 0.9);
    assert.ok(Math.abs(r.pValue - 0.000532) < 1e-5);
    assert.equal(r.significant, true);
    assert.ok(r.costRatio !== null && Math.abs(r.costRatio - 0.1) < 1e-12);
    assert.equal(r.cheaper.meanFixLoops, 0.2);
    assert.match(r.summary, /fast 60% of 50 .* balanced 90% of 50 .*p = 0\.001, the difference in success is significant/);
  });

  it('reports no significance and no ratio without data', () => {
    const r = compareTiers([], 'complex', 'balanced', 'strong');
    assert.equal(r.pValue, 1);
    assert.equal(r.significant, false);
    assert.equal(r.costRatio, null);
    assert.equal(r.cheaper.successRate, null);
    assert.match(r.summary, /n\/a/);
  });
});
