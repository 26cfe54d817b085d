import assert from 'node:assert/strict';
import type { RouteDecision } from '../../../src/core/routing/routeTicket';
import type { BatchEstimate } from '../../../src/core/batch/batchEstimate';
import { ModelPicks } from '../../../src/vscode/modelPicks';
import { planningLine } from '../../../src/core/batch/planningLine';
import { confirmationText } from '../../../src/core/session/confirmationText';
import { DEFAULT_TIER_MODELS } from '../../../src/core/llm/tiers';
import { overBudget, pickDescription, progressLine, type TicketRunView } from '../../../src/core/session/runStateText';
import { formatUsd } from '../../../src/core/vocabulary/amounts';

const run = (over: Partial<TicketRunView>): TicketRunView => ({ id: 'T1', batchId: 'b1', tier: 'fast', model: 'claude-haiku-5-5', state: 'running', costUsd: 0.0123, detail: '', ...over });

const decision = (id: string): RouteDecision => ({ id, score: 10, complexityClass: 'mechanical', tier: 'fast', modelId: null, maxTier: 'strong', source: 'score', reason: 'simple change', underspecified: false, missing: [] });

const estimate: BatchEstimate = {
  mode: 'direct',
  modeReason: 'below the break-even of 4 tickets',
  breakEven: { orchestratedUsd: 0.21, singleAgentUsd: 0.12, breakEvenTickets: 4, mode: 'direct', explanation: '' },
  capUsd: 12,
  worstCase: { runsPerTicket: 2, capPerRunUsd: 2 },
};

describe('batch UI text (tree descriptions, progress, confirmation)', () => {
  it('describes a ticket with a pick and no run yet', () => {
    assert.equal(pickDescription('strong'), 'pick: strong');
  });

  it('summarises the batch in one progress line', () => {
    const records = [run({ id: 'A', state: 'done' }), run({ id: 'B', state: 'reviewing' }), run({ id: 'C', state: 'failed' }), run({ id: 'D', state: 'queued' })];
    assert.equal(progressLine(records, 0.034), '2 of 4 finished · 1 running · 1 failed · $0.034');
    assert.equal(progressLine([run({ state: 'queued' })], 0), '0 of 1 finished · $0.00');
  });

  it('leads the confirmation with each ticket\'s model, expected and worst-case cost (and why), budget left and one line on shared planning', () => {
    const text = confirmationText({ decisions: [decision('A'), decision('B'), decision('C')], tierModels: DEFAULT_TIER_MODELS, estimate, typical: { usd: 0.0655, fromHistory: 0, tickets: 3 }, budget: { batchUsd: 5, monthlyUsd: 50, monthSpentUsd: 45 }, simulated: false, sandbox: { kind: 'sandboxed' } });
    assert.equal(text.message, 'Run 3 tickets?');
    assert.deepEqual(text.detail.split('\n'), [
      'Model: claude-haiku-5-5 (fast): A, B, C',
      '',
      'Expected cost: about $0.066 (typical).',
      'Worst case: $12.00 — 3 tickets × 2 runs (the first, fix loops, moves up a tier) × the $2.00 cap per run.',
      'Budget: $5.00 left of $50.00 this month, $5.00 per batch.',
      'Shared planning: not used — it pays from about 4 tickets like these.',
      'The worst case is above the batch budget: the batch stops when that is reached.',
    ]);
    assert.doesNotMatch(text.detail, /orchestrated|direct|single-agent|overheads/, 'no jargon up front');
    assert.match(text.details, /^ {2}A: claude-haiku-5-5 \(fast\) — simple change$/m, 'the details name each ticket\'s model and why');
    assert.match(text.details, /with one planning call \$0\.21, with separate single-agent starts \$0\.12/);
    assert.match(text.details, /default run sizes \(no history in this repository yet\)/);
  });

  it('names each ticket\'s model id by model when they differ: the tier\'s model from the settings, or a model picked outright', () => {
    const tiers = { ...DEFAULT_TIER_MODELS, balanced: 'claude-sonnet-custom' };
    const decisions = [decision('A'), { ...decision('B'), tier: 'balanced' as const }, decision('C'), { ...decision('D'), tier: null, modelId: 'claude-opus-4-1', maxTier: null }];
    const text = confirmationText({ decisions, tierModels: tiers, estimate: { ...estimate, capUsd: 2, worstCase: { runsPerTicket: 1, capPerRunUsd: 0.5 } }, typical: { usd: 0.01, fromHistory: 0, tickets: 4 }, budget: { batchUsd: null, monthlyUsd: null, monthSpentUsd: 0 }, simulated: false, sandbox: { kind: 'sandboxed' } });
    assert.deepEqual(text.detail.split('\n').slice(0, 4), ['Models:', '  claude-haiku-5-5 (fast): A, C', '  claude-sonnet-custom (balanced): B', '  claude-opus-4-1 (picked): D']);
    assert.ok(text.detail.split('\n').includes(`Worst case: ${formatUsd(2)} — 4 tickets × 1 run × the ${formatUsd(0.5)} cap per run.`), text.detail);
  });

  it('labels simulated runs, says when no budget is set, and says when shared planning is used', () => {
    const orchestrated = { ...estimate, mode: 'orchestrated' as const, capUsd: 1 };
    const text = confirmationText({ decisions: [decision('A')], tierModels: DEFAULT_TIER_MODELS, estimate: orchestrated, typical: { usd: 0.01, fromHistory: 1, tickets: 1 }, budget: { batchUsd: null, monthlyUsd: null, monthSpentUsd: 0 }, simulated: true, sandbox: { kind: 'sandboxed' } });
    assert.equal(text.message, 'Run 1 ticket (simulated)?');
    assert.match(text.detail, /^Budget: no limit set\.$/m);
    assert.match(text.detail, /^Shared planning: used — one planning call is cheaper than 1 separate starts\.$/m);
    assert.match(text.detail, /^Simulated model: nothing is billed; the figures are what Claude would cost\.$/m);
    assert.doesNotMatch(text.detail, /above the/);
    assert.equal(planningLine({ ...estimate, breakEven: { ...estimate.breakEven, breakEvenTickets: null } }, 3), 'Shared planning: not used — it does not pay at these model prices.');
  });

  it('says when gates and allowed commands would run without a sandbox, or not at all', () => {
    const input = { decisions: [decision('A')], estimate, typical: { usd: 0.01, fromHistory: 0, tickets: 1 }, budget: { batchUsd: null, monthlyUsd: null, monthSpentUsd: 0 }, simulated: false };
    const reason = 'bubblewrap is not installed (no /usr/bin/bwrap)';
    assert.doesNotMatch(confirmationText({ tierModels: DEFAULT_TIER_MODELS, ...input, sandbox: { kind: 'sandboxed' } }).detail, /sandbox/);
    assert.match(
      confirmationText({ tierModels: DEFAULT_TIER_MODELS, ...input, sandbox: { kind: 'unsandboxed', reason } }).detail,
      /^Gates and allowed commands run WITHOUT a sandbox, with your user's rights \(bubblewrap is not installed \(no \/usr\/bin\/bwrap\); allowed by the setting flotilla\.sandbox\.allowUnsandboxed\)\.$/m,
    );
    assert.match(confirmationText({ tierModels: DEFAULT_TIER_MODELS, ...input, sandbox: { kind: 'refused', reason } }).detail, /^Gates and allowed commands will not run: there is no sandbox \(bubblewrap is not installed .*Install bubblewrap, or allow running without one with the setting flotilla\.sandbox\.allowUnsandboxed\.$/m);
  });

  it('names the limit the worst case would cross', () => {
    assert.equal(overBudget(2, { batchUsd: 1, monthlyUsd: 100, monthSpentUsd: 0 }), 'batch');
    assert.equal(overBudget(2, { batchUsd: null, monthlyUsd: 10, monthSpentUsd: 9 }), 'monthly');
    assert.equal(overBudget(2, { batchUsd: 3, monthlyUsd: 10, monthSpentUsd: 8 }), undefined);
  });
});

describe('model picks (Set Model)', () => {
  function memento(initial: Record<string, unknown> = {}) {
    const data = new Map(Object.entries(initial));
    return {
      data,
      get: <T>(key: string, fallback?: T) => (data.has(key) ? (data.get(key) as T) : (fallback as T)),
      update: (key: string, value: unknown) => {
        data.set(key, value);
        return Promise.resolve();
      },
    };
  }

  it('keeps picks in workspace state, clears them with auto, and gives the batch only the picked tickets', async () => {
    const state = memento();
    const picks = new ModelPicks(state);
    let changes = 0;
    picks.onDidChange(() => changes++);
    await picks.set('R1', 'strong');
    await picks.set('R2', ' claude-x ');
    assert.deepEqual(picks.for(['R1', 'R2', 'R3']), { R1: 'strong', R2: 'claude-x' });
    await picks.set('R1', 'auto');
    assert.equal(picks.get('R1'), undefined);
    assert.equal(changes, 3);
    assert.deepEqual(new ModelPicks(state).for(['R1', 'R2']), { R2: 'claude-x' }, 'a new window reads them back');
  });

  it('resets unreadable stored picks and says so', () => {
    const warnings: string[] = [];
    const picks = new ModelPicks(memento({ 'flotilla.modelPicks.v1': ['not', 'a', 'record'] }), (m) => warnings.push(m));
    assert.deepEqual(picks.for(['not']), {});
    assert.equal(warnings.length, 1);
  });
});
