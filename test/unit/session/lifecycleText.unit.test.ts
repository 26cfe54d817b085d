import assert from 'node:assert/strict';
import { TICKET_LIFECYCLES } from '../../../src/core/session/ticketLifecycle';
import { LIFECYCLE_CONTEXT, LIFECYCLE_ICONS, lifecycleDescription, type StoredTicketState } from '../../../src/core/session/lifecycleText';

const entry = (state: StoredTicketState['state'], tier: StoredTicketState['tier'], costUsd: number): StoredTicketState => ({ ticketId: 'D1', batchId: 'b1', state, reason: null, branch: null, costUsd, decision: undefined, tier });

describe('Tickets view lifecycle rows', () => {
  it('say tier, state and cost in the words of flotilla status', () => {
    assert.equal(lifecycleDescription(entry('awaitingReview', 'fast', 0.0042)), 'fast · awaiting review · $0.004');
    assert.equal(lifecycleDescription(entry('accepted', 'balanced', 0.02)), 'balanced · accepted · $0.020');
    assert.equal(lifecycleDescription(entry('failed', null, 0)), 'failed · $0');
  });

  it('have an icon and menus for every state; only tickets awaiting review offer the decisions, accepted ones nothing to run', () => {
    for (const state of TICKET_LIFECYCLES) assert.ok(LIFECYCLE_ICONS[state][0] && LIFECYCLE_CONTEXT[state], state);
    assert.deepEqual(TICKET_LIFECYCLES.filter((s) => LIFECYCLE_CONTEXT[s] === 'ticketAwaitingReview'), ['awaitingReview']);
    assert.equal(LIFECYCLE_CONTEXT.accepted, 'ticketAccepted');
    assert.equal(LIFECYCLE_CONTEXT.rejected, 'ticketFinished');
  });
});
