import assert from 'node:assert/strict';
import { budgetStatusView, escapeCell, workspaceLabel, type BudgetStatusInput } from '../../../src/core/report/budgetStatus';
import { MonthSpendTally } from '../../../src/core/report/monthSpendTally';
import { usage } from './reportFixtures';

function spendOf(...costs: number[]) {
  const tally = new MonthSpendTally('2026-03');
  costs.forEach((costUsd, i) => tally.add(usage({ costUsd, model: i % 2 === 0 ? 'claude-sonnet-5-5' : 'claude-haiku-5-5', requestId: `r${i}` })));
  return tally.snapshot();
}

const base: BudgetStatusInput = { spend: null, monthlyUsd: 500, softAlertPercent: 80, display: 'usd', running: false, nowMs: Date.parse('2026-03-11T00:00:00.000Z') };

describe('status bar budget view', () => {
  it('shows spend against the monthly limit, e.g. $(pulse) $12.40 / $500', () => {
    const view = budgetStatusView({ ...base, spend: spendOf(12, 0.4) });
    assert.equal(view.text, '$(pulse) $12.40 / $500');
    assert.equal(view.level, 'ok');
  });

  it('shows a placeholder while the ledger is read, and no limit when monthlyUsd is 0', () => {
    assert.equal(budgetStatusView(base).text, '$(pulse) Flotilla');
    assert.equal(budgetStatusView({ ...base, monthlyUsd: 0, spend: spendOf(3) }).text, '$(pulse) $3.00');
  });

  it('warns at the soft limit and errors at the hard one', () => {
    assert.equal(budgetStatusView({ ...base, spend: spendOf(399) }).level, 'ok');
    assert.equal(budgetStatusView({ ...base, spend: spendOf(400) }).level, 'warning');
    assert.match(budgetStatusView({ ...base, spend: spendOf(400) }).tooltip, /80% of the monthly limit/);
    const over = budgetStatusView({ ...base, spend: spendOf(500) });
    assert.equal(over.level, 'error');
    assert.match(over.tooltip, /limit is reached/);
    assert.equal(budgetStatusView({ ...base, monthlyUsd: 0, spend: spendOf(1e6) }).level, 'ok', 'no limit, no alarm');
  });

  it('spins while a batch runs', () => {
    assert.ok(budgetStatusView({ ...base, running: true, spend: spendOf(1) }).text.startsWith('$(sync~spin) '));
    assert.ok(budgetStatusView({ ...base, running: true }).text.startsWith('$(sync~spin) '));
  });

  it('shows tokens instead of dollars in subscription mode, without dollar alarms', () => {
    const view = budgetStatusView({ ...base, display: 'tokens', spend: spendOf(450, 450) });
    assert.equal(view.text, '$(pulse) 3.0k tokens');
    assert.equal(view.level, 'ok');
    assert.doesNotMatch(view.tooltip, /\$\d/);
    assert.match(view.tooltip, /\| Model \| Tokens \| Calls \|/);
  });

  it('lists spend by model and by workspace and a month-end forecast in the tooltip', () => {
    // 10 of 31 days gone: $10 → $31.
    const view = budgetStatusView({ ...base, spend: spendOf(6, 4) });
    assert.match(view.tooltip, /\| claude-sonnet-5-5 \| \$6\.00 \| 1 \|/);
    assert.match(view.tooltip, /\| claude-haiku-5-5 \| \$4\.00 \| 1 \|/);
    assert.match(view.tooltip, /\| shop \| \$10\.00 \| 2 \|/);
    assert.match(view.tooltip, /Month-end forecast at this pace: \$31\.00/);
    assert.ok(view.tooltip.startsWith('**Flotilla usage, March 2026**'));
    // What a click does is said once, by the status bar item that knows its command.
    assert.doesNotMatch(view.tooltip, /click/i);
  });

  it('escapes user text for Markdown tables', () => {
    assert.equal(workspaceLabel('C:\\work\\shop\\'), 'shop');
    assert.equal(escapeCell('a|b*c\nd'), 'a\\|b\\*c d');
  });
});
