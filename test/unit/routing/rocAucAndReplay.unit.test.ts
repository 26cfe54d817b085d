import assert from 'node:assert/strict';
import { escalationPath, replayEscalation, type TierOutcomes } from '../../../src/core/routing/escalationReplay';
import { rocAuc } from '../../../src/core/routing/rocAuc';

function bruteForceAuc(scores: number[], positive: boolean[]): number {
  let sum = 0;
  let pairs = 0;
  scores.forEach((p, i) => {
    if (!positive[i]) return;
    scores.forEach((n, j) => {
      if (positive[j]) return;
      pairs++;
      sum += p > n ? 1 : p === n ? 0.5 : 0;
    });
  });
  return sum / pairs;
}

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 for all ties', () => {
    assert.equal(rocAuc([1, 2, 3, 4], [false, false, true, true]), 1);
    assert.equal(rocAuc([4, 3, 2, 1], [false, false, true, true]), 0);
    assert.equal(rocAuc([5, 5, 5, 5], [true, false, true, false]), 0.5);
  });

  it('matches the pairwise definition with ties', () => {
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const scores = Array.from({ length: 60 }, () => Math.floor(next() * 10));
    const labels = scores.map((s) => next() < 0.3 + s / 20);
    const auc = rocAuc(scores, labels);
    assert.ok(auc !== null);
    assert.ok(Math.abs(auc - bruteForceAuc(scores, labels)) < 1e-12);
  });

  it('is null with one class only and rejects mismatched lengths', () => {
    assert.equal(rocAuc([1, 2], [true, true]), null);
    assert.throws(() => rocAuc([1], [true, false]), RangeError);
  });
});

const task = (fast: boolean, balanced: boolean, strong: boolean): TierOutcomes => ({
  fast: { resolved: fast, costUsd: 0.01 },
  balanced: { resolved: balanced, costUsd: 0.1 },
  strong: { resolved: strong, costUsd: 1 },
});

describe('replayEscalation', () => {
  it('lists the tiers a plan climbs', () => {
    assert.deepEqual(escalationPath({ start: 'fast', maxTier: 'strong', step: 'next' }), ['fast', 'balanced', 'strong']);
    assert.deepEqual(escalationPath({ start: 'fast', maxTier: 'strong', step: 'strongest' }), ['fast', 'strong']);
    assert.deepEqual(escalationPath({ start: 'fast', maxTier: 'balanced', step: 'next' }), ['fast', 'balanced']);
    // A ceiling below the start never stops the start itself.
    assert.deepEqual(escalationPath({ start: 'strong', maxTier: 'fast', step: 'next' }), ['strong']);
  });

  it('pays for every tier tried and stops at the first success', () => {
    const tasks = [task(true, true, true), task(false, true, true), task(false, false, true), task(false, false, false)];
    const r = replayEscalation(tasks, () => ({ start: 'fast', maxTier: 'strong', step: 'next' }));
    assert.equal(r.solved, 3);
    assert.equal(r.solvedShare, 0.75);
    assert.ok(Math.abs(r.costUsd - (0.01 + 0.11 + 1.11 + 1.11)) < 1e-9);
    assert.deepEqual(r.tried[1], ['fast', 'balanced']);
  });

  it('saves the climb on tickets with a lower ceiling, at the price of their solves', () => {
    const tasks = [task(false, false, true), task(false, false, false)];
    const r = replayEscalation(tasks, () => ({ start: 'fast', maxTier: 'balanced', step: 'next' }));
    assert.equal(r.solved, 0);
    assert.ok(Math.abs(r.costUsd - 0.22) < 1e-9);
  });
});
