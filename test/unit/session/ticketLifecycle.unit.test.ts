import assert from 'node:assert/strict';
import { batchLifecycles, latestLifecycles } from '../../../src/core/session/ticketLifecycle';
import { newBatchState, type StoredBatch } from '../../../src/core/store/batchState';

const owner = { pid: 1, hostname: 'h', processStartedAt: '2026-12-01T00:00:00.000Z', heartbeatAt: '2026-12-01T00:00:00.000Z' };

function batch(id: string, createdAt: string, tickets: Record<string, StoredBatch['tickets'][string]['status']>, extra: Record<string, unknown> = {}): StoredBatch {
  const state = newBatchState({ id, mode: 'direct', ticketIds: Object.keys(tickets), baseCommit: 'abc', extra }, owner, createdAt);
  for (const [tid, status] of Object.entries(tickets)) state.tickets[tid] = { ...state.tickets[tid]!, status, reason: status === 'failed' ? 'tests failed on strong' : null };
  return state;
}

describe('ticket lifecycle from the stored batch state', function () {
  it('done is awaiting review until decided; decisions make it accepted or rejected; failures keep their reason', function () {
    const state = batch('b1', '2026-12-01T10:00:00.000Z', { A: 'done', B: 'done', C: 'done', D: 'failed', E: 'blocked' }, {
      reviewDecisions: { A: { ticket: 'accepted', into: 'main', at: '2026-12-01T11:00:00.000Z', files: {} }, B: { ticket: 'rejected', at: '2026-12-01T11:00:00.000Z', files: {} }, C: { at: 'x', files: { 'a.ts': 'accepted' } } },
    });
    const states = batchLifecycles({ ...state, status: 'done' }).map((e) => [e.ticketId, e.state, e.reason]);
    assert.deepEqual(states, [
      ['A', 'accepted', null],
      ['B', 'rejected', null],
      ['C', 'awaitingReview', null],
      ['D', 'failed', 'tests failed on strong'],
      ['E', 'blocked', null],
    ]);
  });

  it('queued and running tickets of an interrupted batch are interrupted, not running', function () {
    const state = { ...batch('b1', '2026-12-01T10:00:00.000Z', { A: 'running', B: 'queued', C: 'done' }), status: 'interrupted' as const };
    assert.deepEqual(batchLifecycles(state).map((e) => e.state), ['interrupted', 'interrupted', 'awaitingReview']);
    assert.deepEqual(batchLifecycles({ ...state, status: 'running' }).map((e) => e.state), ['running', 'queued', 'awaitingReview']);
  });

  it('the newest batch that ran a ticket decides its line, whatever order the batches come in', function () {
    const older = batch('old', '2026-12-01T10:00:00.000Z', { A: 'done', B: 'failed' }, { reviewDecisions: { A: { ticket: 'rejected', at: 'x', files: {} } } });
    const newer = batch('new', '2026-12-02T10:00:00.000Z', { A: 'done' });
    const latest = latestLifecycles([{ state: older, interrupted: false }, { state: newer, interrupted: false }]);
    assert.equal(latest.get('A')?.batchId, 'new');
    assert.equal(latest.get('A')?.state, 'awaitingReview');
    assert.equal(latest.get('B')?.state, 'failed');
    assert.equal(latestLifecycles([{ state: { ...newer, status: 'running' }, interrupted: true }]).get('A')?.state, 'awaitingReview');
  });
});
