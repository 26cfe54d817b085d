import assert from 'node:assert/strict';
import { renderSummary } from '../../../src/cli/progressDisplay';
import { recordOf, runScriptedBatch, ticket } from './batchHarness';

describe('runBatch: model-layer failures are not the ticket’s fault', function () {
  this.timeout(60_000);

  it('retries a ticket whose model call failed transiently, on the same tier, without a fix loop or escalation', async () => {
    // The client gives up after one attempt (harness), so the 529 reaches the batch.
    const run = await runScriptedBatch({ tickets: [ticket('T', { model: 'fast' })], faults: [{ kind: 'overloaded' }] });
    const t = recordOf(run, 'T');
    assert.equal(t.state, 'done', t.detail);
    assert.equal(t.escalations, 0);
    assert.equal(t.fixLoops, 0);
    assert.equal(t.tier, 'fast');
    assert.ok(run.events.some((e) => e.type === 'ticket-state' && e.ticket.id === 'T' && e.ticket.detail.startsWith('waiting to retry')));
  });

  it('stops the whole batch on an authentication failure and says what to do', async () => {
    const run = await runScriptedBatch({
      tickets: [ticket('A', { model: 'fast' }), ticket('B', { model: 'fast', dependsOn: ['A'] }), ticket('C', { model: 'fast' })],
      settings: { 'batch.concurrency': 1 },
      faults: [{ kind: 'http_error', status: 401 }],
    });
    assert.equal(run.summary.state, 'failed');
    assert.match(run.summary.stopReason ?? '', /API key was not accepted/);
    // Each front end names its own way out: a command in the editor, the environment variable at a terminal.
    assert.deepEqual(run.summary.stopNextStep, { editor: 'Set API Key', terminal: 'Set ANTHROPIC_API_KEY to a valid key, or pass --simulate to run offline' });
    assert.match(renderSummary(run.summary), /^stopped: The API key was not accepted.* Next step: Set ANTHROPIC_API_KEY to a valid key, or pass --simulate to run offline\.$/m);
    assert.doesNotMatch(renderSummary(run.summary), /Set API Key/);
    const states = run.summary.tickets.map((t) => [t.id, t.state]);
    assert.ok(states.every(([, state]) => state !== 'done'), JSON.stringify(states));
    assert.equal(recordOf(run, 'A').escalations + recordOf(run, 'C').escalations, 0, 'no stronger model was tried');
    assert.equal(run.sim.requests.filter((r) => r.path === '/v1/messages').length, 1, 'no call after the 401');
  });
});
