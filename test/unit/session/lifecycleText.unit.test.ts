import assert from 'node:assert/strict';
import { TICKET_LIFECYCLES } from '../../../src/core/vocabulary/ticketStates';
import { LIFECYCLE_CONTEXT, LIFECYCLE_ICONS, lifecycleDescription } from '../../../src/core/session/lifecycleText';

describe('Tickets view lifecycle rows', () => {
  it('say tier, state and cost in the words of flotilla status', () => {
    assert.equal(lifecycleDescription({ tier: 'fast', lifecycle: 'awaitingReview', costUsd: 0.0042 }), 'fast · awaiting review · $0.0042');
    assert.equal(lifecycleDescription({ tier: 'balanced', lifecycle: 'accepted', costUsd: 0.02 }), 'balanced · accepted · $0.02');
    assert.equal(lifecycleDescription({ tier: null, lifecycle: 'failed', costUsd: 0 }), 'failed · $0.00');
    // A model id pick has no tier; an unpriced model has an unknown cost, never a guess.
    assert.equal(lifecycleDescription({ tier: null, model: 'my-model', lifecycle: 'running', costUsd: null }), 'my-model · running · unknown');
    assert.equal(lifecycleDescription({ tier: 'fast', model: 'claude-haiku-5-5', lifecycle: 'gates', costUsd: 0.0123 }), 'fast · gates and review · $0.012');
  });

  it('have an icon and menus for every state; only tickets awaiting review offer the decisions, accepted ones nothing to run', () => {
    for (const state of TICKET_LIFECYCLES) assert.ok(LIFECYCLE_ICONS[state][0] && LIFECYCLE_CONTEXT[state], state);
    assert.deepEqual(TICKET_LIFECYCLES.filter((s) => LIFECYCLE_CONTEXT[s] === 'ticketAwaitingReview'), ['awaitingReview']);
    assert.equal(LIFECYCLE_CONTEXT.accepted, 'ticketAccepted');
    assert.equal(LIFECYCLE_CONTEXT.rejected, 'ticketFinished');
    assert.deepEqual(TICKET_LIFECYCLES.filter((s) => LIFECYCLE_ICONS[s][0].endsWith('~spin')), ['running', 'gates'], 'only working tickets spin');
  });
});
