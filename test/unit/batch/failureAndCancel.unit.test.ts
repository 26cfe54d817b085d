import assert from 'node:assert/strict';
import type { TicketRunState } from '../../../src/core/vocabulary/ticketStates';
import { DagCycleError } from '../../../src/core/batch/dagErrors';
import { runBatch } from '../../../src/core/batch/runBatch';
import { UsageTally } from '../../../src/core/batch/usageTally';
import { GitClient } from '../../../src/core/git/gitClient';
import { silentLogger } from '../../../src/core/logger';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { gitIn, makeRepo, recordOf, runScriptedBatch, ticket } from './batchHarness';

describe('runBatch: a failed dependency, cancellation mid-batch, cycles', function () {
  this.timeout(30_000);

  it('blocks the dependents of a failed ticket with the reason while independent tickets continue', async () => {
    const run = await runScriptedBatch({
      tickets: [
        ticket('D', { model: 'strong' }), // changes nothing on the strongest tier: fails for good
        ticket('E', { dependsOn: ['D'], model: 'fast' }),
        ticket('G', { dependsOn: ['E'], model: 'fast' }),
        ticket('F', { model: 'fast' }),
      ],
      act: (call) => (call.ticketId === 'D' ? 'nothing' : 'edit'),
    });
    assert.equal(recordOf(run, 'D').state, 'failed');
    for (const id of ['E', 'G']) {
      const r = recordOf(run, id);
      assert.equal(r.state, 'blocked', id);
      assert.match(r.detail, /\bD\b/, `${id}: ${r.detail}`);
      assert.equal(r.stages.length, 0, `${id} never ran`);
    }
    assert.equal(recordOf(run, 'F').state, 'done');
    assert.deepEqual(new Set(run.calls.map((c) => c.ticketId)), new Set(['D', 'F']));
    assert.equal(run.summary.state, 'failed');
  });

  it('cancels running and queued tickets on abort and keeps finished ones with their branches', async () => {
    const controller = new AbortController();
    let aDone = false;
    let sleeping = false;
    const states: Record<string, TicketRunState[]> = {};
    const started = Date.now();
    const run = await runScriptedBatch({
      tickets: [ticket('A', { model: 'fast' }), ticket('S', { model: 'fast' }), ticket('Q', { dependsOn: ['S'], model: 'fast' })],
      act: (call) => (call.ticketId === 'S' ? 'sleep' : 'edit'),
      request: { signal: controller.signal },
      onEvent: (event) => {
        if (event.type === 'ticket-state') (states[event.ticket.id] ??= []).push(event.ticket.state);
        if (event.type === 'ticket-state' && event.ticket.id === 'A' && event.ticket.state === 'done') aDone = true;
        if (event.type === 'worker' && event.id === 'S' && event.event.kind === 'tool' && event.event.name === 'run_command') sleeping = true;
        if (aDone && sleeping && !controller.signal.aborted) controller.abort();
      },
    });
    assert.ok(controller.signal.aborted, 'the test aborted mid-batch');
    // S was inside a 60 s command: it was killed, not waited for.
    assert.ok(Date.now() - started < 25_000);
    assert.equal(run.summary.state, 'cancelled');
    const a = recordOf(run, 'A');
    assert.equal(a.state, 'done');
    assert.ok(a.commit);
    assert.equal(gitIn(run.repo, 'rev-parse', `flotilla/B1/A`), a.commit);
    assert.equal(recordOf(run, 'S').state, 'cancelled');
    assert.ok(states.S?.includes('running'), 'S was running when cancelled');
    const q = recordOf(run, 'Q');
    assert.equal(q.state, 'cancelled');
    assert.equal(q.stages.length, 0);
    assert.ok(!run.calls.some((c) => c.ticketId === 'Q'));
  });

  it('refuses a dependency cycle before any model call, naming the cycle', async () => {
    const { repo, storage } = makeRepo();
    let called = 0;
    const client = {
      call: () => {
        called += 1;
        return Promise.reject(new Error('no model call expected'));
      },
    };
    const tickets = [ticket('X', { dependsOn: ['Z'] }), ticket('Y', { dependsOn: ['X'] }), ticket('Z', { dependsOn: ['Y'] }), ticket('W')];
    await assert.rejects(
      runBatch({ batchId: 'B1', repo, storageDir: storage, workspace: 'ws', tickets, settings: defaultSettings(), mode: 'direct', simulated: true }, { git: new GitClient(), client, tally: new UsageTally(), logger: silentLogger }),
      (error: unknown) => {
        assert.ok(error instanceof DagCycleError, String(error));
        assert.match(error.message, /X/);
        assert.match(error.message, /Y/);
        assert.match(error.message, /Z/);
        assert.doesNotMatch(error.message, /W/);
        return true;
      },
    );
    assert.equal(called, 0);
  });
});
