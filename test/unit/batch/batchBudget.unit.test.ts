import assert from 'node:assert/strict';
import { budgetOfSettings, describeBudgetRaise, readBatchBudget, resumeBudget, withResumeBudget } from '../../../src/core/batch/batchBudget';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';

describe('the budget kept with a batch (extra.budget)', () => {
  it('is read from the settings the guard enforces, and back from state.json; absent or malformed means no limit', () => {
    assert.deepEqual(budgetOfSettings({ ...defaultSettings(), 'budget.batchUsd': 0.011 }), { batchUsd: 0.011 });
    assert.deepEqual(budgetOfSettings(defaultSettings()), { batchUsd: null });
    assert.deepEqual(readBatchBudget({ extra: { budget: { batchUsd: 2.5 } } }), { batchUsd: 2.5 });
    assert.deepEqual(readBatchBudget({ extra: {} }), { batchUsd: null });
    assert.deepEqual(readBatchBudget({ extra: { budget: { batchUsd: -1 } } }), { batchUsd: null });
  });

  it('on resume: the stored limit applies; --budget-usd lowers it quietly and raises it only out loud', () => {
    assert.deepEqual(resumeBudget({ batchUsd: 0.011 }, undefined), { batchUsd: 0.011, raisedFrom: null });
    assert.deepEqual(resumeBudget({ batchUsd: 0.011 }, 0.005), { batchUsd: 0.005, raisedFrom: null });
    assert.deepEqual(resumeBudget({ batchUsd: null }, 3), { batchUsd: 3, raisedFrom: null }, 'a limit where there was none is lower');
    assert.deepEqual(resumeBudget({ batchUsd: 0.011 }, 0.011), { batchUsd: 0.011, raisedFrom: null });
    const raised = resumeBudget({ batchUsd: 0.011 }, 5);
    assert.deepEqual(raised, { batchUsd: 5, raisedFrom: 0.011 });
    assert.equal(describeBudgetRaise('B1', raised), 'batch B1: budget raised from $0.011 to $5.00 (what it spent before counts towards it)');
    assert.equal(describeBudgetRaise('B1', resumeBudget({ batchUsd: 0.011 }, 0.005)), undefined);
    assert.equal(withResumeBudget(defaultSettings(), raised)['budget.batchUsd'], 5);
    assert.equal(withResumeBudget({ ...defaultSettings(), 'budget.batchUsd': 9 }, { batchUsd: null, raisedFrom: null })['budget.batchUsd'], 0, 'no stored limit: none');
  });
});
