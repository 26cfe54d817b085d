import assert from 'node:assert/strict';
import { buildPanelHistory } from '../../../src/core/panel/panelHistory';
import { actionsFor } from '../../../src/core/panel/ticketRowFold';
import { wilsonLowerBound } from '../../../src/core/routing/proportionStats';

describe('panel history', () => {
  it('tells measured (class, tier) cells from trusted ones: enough samples and a lower bound over the threshold', () => {
    const history = buildPanelHistory({
      batches: [],
      outcomes: [
        { class: 'mechanical', tier: 'fast', successes: 19, attempts: 20, fixLoops: 2, costUsd: 0.4 },
        { class: 'standard', tier: 'fast', successes: 3, attempts: 3, fixLoops: 0, costUsd: 0.06 },
        { class: 'complex', tier: 'balanced', successes: 4, attempts: 10, fixLoops: 9, costUsd: 3 },
      ],
      threshold: 0.7,
      minSamples: 5,
      problems: ['ledger/2026-11.jsonl:3: not JSON'],
    });
    const cell = (cls: string, tier: string) => history.outcomes.find((o) => o.complexityClass === cls && o.tier === tier);
    assert.equal(history.outcomes.length, 9);
    assert.equal(cell('mechanical', 'fast')?.trusted, true);
    assert.equal(cell('mechanical', 'fast')?.lowerBound, wilsonLowerBound(19, 20));
    assert.equal(cell('mechanical', 'fast')?.avgCostUsd, 0.02);
    assert.equal(cell('standard', 'fast')?.trusted, false, 'three samples are not enough');
    assert.equal(cell('complex', 'balanced')?.trusted, false, 'four of ten is below the threshold');
    assert.equal(cell('complex', 'strong')?.attempts, 0);
    assert.equal(cell('complex', 'strong')?.successRate, null);
    assert.deepEqual(history.problems, ['ledger/2026-11.jsonl:3: not JSON']);
  });

  it('offers each action only where the command can do something', () => {
    assert.deepEqual(actionsFor('running', true, true), ['cancel']);
    assert.deepEqual(actionsFor('queued', true, true), ['cancel']);
    assert.deepEqual(actionsFor('waiting', true, true), ['cancel']);
    assert.deepEqual(actionsFor('gates', true, true), ['cancel']);
    assert.deepEqual(actionsFor('running', false, false), ['setModel'], 'a stored running ticket cannot be cancelled from here');
    assert.deepEqual(actionsFor('awaitingReview', false, false), ['review', 'accept', 'reject', 'retry', 'setModel']);
    assert.deepEqual(actionsFor('accepted', false, false), ['review']);
    assert.deepEqual(actionsFor('rejected', false, false), ['retry', 'setModel']);
    assert.deepEqual(actionsFor('failed', true, true), ['setModel'], 'no Retry while a batch runs');
    assert.deepEqual(actionsFor('interrupted', false, false), ['retry', 'setModel']);
  });
});
