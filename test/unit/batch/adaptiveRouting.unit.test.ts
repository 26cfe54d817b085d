import assert from 'node:assert/strict';
import { routeSelection } from '../../../src/core/batch/runBatch';
import { DEFAULT_TIER_MODELS } from '../../../src/core/llm/tiers';
import type { OutcomeRow } from '../../../src/core/routing/outcomesTable';
import { defaultSettings, type Settings } from '../../../src/core/settings/settingsSchema';
import { recordOf, runScriptedBatch, ticket } from './batchHarness';

// Scores as complex (auth + security); every class starts on fast until outcomes say otherwise.
const AUTH = ticket('AUTH', {
  title: 'Expire idle sessions in the auth module',
  labels: ['security'],
  files: ['src/auth/session.js', 'src/auth/login.js'],
  description: 'Sessions should expire after 30 minutes idle. The auth session store must check the last-seen time; security review expected.',
});

const settings = (): Settings => ({ ...defaultSettings(), 'routing.explorationShare': 0 });
const row = (tier: OutcomeRow['tier'], successes: number, attempts: number): OutcomeRow => ({ class: 'complex', tier, successes, attempts, fixLoops: 0, costUsd: 0 });

describe('runBatch: the adaptive routing rule', () => {
  it('starts on the class default (fast) without enough evidence for another tier', () => {
    const plain = routeSelection([AUTH], { mode: 'auto', settings: settings() }).get('AUTH');
    assert.equal(plain?.complexityClass, 'complex');
    assert.equal(plain?.tier, 'fast');
    // 4/4 is below minSamples (5); 6/10 has a Wilson lower bound far below 0.70.
    for (const outcomes of [[row('balanced', 4, 4)], [row('balanced', 6, 10)], [row('fast', 6, 10)]]) {
      const d = routeSelection([AUTH], { mode: 'auto', settings: settings(), outcomes }).get('AUTH');
      assert.equal(d?.tier, 'fast', JSON.stringify(outcomes));
      assert.equal(d?.source, 'score');
    }
  });

  it('picks the cheapest tier whose Wilson lower bound clears the threshold, and says why', () => {
    // fast 6/20 does not clear 0.70; balanced 20/20 (lower bound ≈ 0.84) does.
    const up = routeSelection([AUTH], { mode: 'auto', settings: settings(), outcomes: [row('fast', 6, 20), row('balanced', 20, 20)] }).get('AUTH');
    assert.equal(up?.tier, 'balanced');
    assert.equal(up?.source, 'learned');
    assert.match(up?.reason ?? '', /balanced passed 20\/20 complex tickets first time \(lower bound 8\d% ≥ 70%\)/);
    const d = routeSelection([AUTH], { mode: 'auto', settings: settings(), outcomes: [row('fast', 20, 20), row('balanced', 3, 10)] }).get('AUTH');
    assert.equal(d?.tier, 'fast');
    assert.equal(d?.source, 'learned');
    assert.match(d?.reason ?? '', /fast passed 20\/20 complex tickets first time \(lower bound 8\d% ≥ 70%\)/);
    // A stricter threshold from settings leaves the class on its default.
    const strict = routeSelection([AUTH], { mode: 'auto', settings: { ...settings(), 'routing.threshold': 0.9 }, outcomes: [row('fast', 6, 20), row('balanced', 20, 20)] }).get('AUTH');
    assert.equal(strict?.tier, 'fast');
    assert.equal(strict?.source, 'score');
  });

  it('never overrides an explicit pick', () => {
    const d = routeSelection([AUTH], { mode: 'auto', tier: 'strong', settings: settings(), outcomes: [row('fast', 50, 50)] }).get('AUTH');
    assert.equal(d?.tier, 'strong');
    assert.equal(d?.source, 'user');
  });

  it('runs the ticket on the learned tier in a real batch, with the reason on the record', async function () {
    this.timeout(20_000);
    const run = await runScriptedBatch({ tickets: [AUTH], settings: { 'routing.explorationShare': 0 }, request: { outcomes: [row('fast', 20, 20)] } });
    const r = recordOf(run, 'AUTH');
    assert.equal(r.state, 'done');
    assert.equal(r.tier, 'fast');
    assert.match(r.reason, /lower bound/);
    assert.deepEqual([...new Set(run.calls.map((c) => c.model))], [DEFAULT_TIER_MODELS.fast]);
  });
});
