import assert from 'node:assert/strict';
import type { BatchControls } from '../../../src/core/batch/runBatch';
import type { TicketRecord } from '../../../src/core/batch/batchTypes';
import { describeResume, planResume, ResumeError } from '../../../src/core/batch/resumePlan';
import { newBatchState, type StoredBatch, type StoredTicket } from '../../../src/core/store/batchState';
import { recordOf, runScriptedBatch, scriptedReviewer, ticket } from './batchHarness';

const OWNER = { pid: 4242, hostname: 'h', processStartedAt: '2026-01-01T00:00:00.000Z', heartbeatAt: '2026-01-01T00:00:00.000Z' };
const RESUME_INFO = { repoRoot: '/repo', workspace: '/repo', mode: 'direct', tier: 'auto', simulated: true, picks: {} };

/** A stored batch as BatchRecorder leaves it: ticket statuses plus the full records in `extra.records`. */
function storedBatch(tickets: Record<string, Partial<StoredTicket>>, records: Record<string, Partial<TicketRecord>>, extra: Record<string, unknown> = { resume: RESUME_INFO }): StoredBatch {
  const state = newBatchState({ id: 'B1', mode: 'direct', ticketIds: Object.keys(tickets), baseCommit: 'abc123', extra }, OWNER, '2026-01-01T00:00:00.000Z');
  for (const [id, t] of Object.entries(tickets)) state.tickets[id] = { ...(state.tickets[id] as StoredTicket), ...t };
  state.extra.records = Object.fromEntries(Object.entries(records).map(([id, r]) => [id, { id, detail: '', ...r }]));
  return state;
}

describe('planResume: what a resume keeps and what it runs again', function () {
  this.timeout(60_000);

  it('a batch run marks what stopped from outside as resumable, not what failed on its own merits', async () => {
    let controls: BatchControls | undefined;
    const run = await runScriptedBatch({
      tickets: [ticket('A', { model: 'fast' }), ticket('B', { model: 'fast', dependsOn: ['A'] }), ticket('D', { model: 'fast' }), ticket('C', { model: 'fast', dependsOn: ['D'] })],
      act: (call) => (call.ticketId === 'D' ? 'sleep' : 'edit'),
      reviewer: scriptedReviewer((id) => id !== 'A'),
      settings: { 'batch.maxFixLoops': 0, 'batch.maxEscalations': 0 },
      request: { onControls: (c) => (controls = c) },
      onEvent: (event) => {
        if (event.type === 'worker' && event.id === 'D' && event.event.kind === 'tool') controls?.cancelTicket('D');
      },
    });
    const states = Object.fromEntries(['A', 'B', 'C', 'D'].map((id) => [id, [recordOf(run, id).state, recordOf(run, id).resumable === true]]));
    assert.deepEqual(states, { A: ['failed', false], B: ['blocked', false], C: ['blocked', true], D: ['cancelled', true] });

    const stored = storedBatch(
      Object.fromEntries(run.summary.tickets.map((t) => [t.id, { status: t.state as StoredTicket['status'], reason: t.detail }])),
      Object.fromEntries(run.summary.tickets.map((t) => [t.id, t])),
    );
    const plan = planResume(stored);
    assert.deepEqual(plan.remaining, ['D', 'C']);
    assert.deepEqual(plan.finished, ['A', 'B']);
    assert.deepEqual(plan.previous.map((r) => r.id), ['A', 'B'], 'kept records go to the run, so B stays blocked behind A');
    assert.equal(plan.rerun.find((r) => r.id === 'D')?.why, 'cancelled before it finished');
    assert.match(plan.rerun.find((r) => r.id === 'C')?.why ?? '', /^blocked: dependency D cancelled/);
    assert.match(plan.kept.find((k) => k.id === 'A')?.why ?? '', /^failed on its own: /);
  });

  it('reruns tickets stopped by a budget or cut off by a crash, keeps done and merit failures, one short line each', () => {
    const longReason = `stopped by budget: The batch budget of $0.011 would be crossed: ${'x'.repeat(300)}`;
    const plan = planResume(
      storedBatch(
        { T1: { status: 'done' }, T2: { status: 'failed', reason: longReason }, T3: { status: 'queued', interruptions: 1 }, T4: { status: 'queued' }, T5: { status: 'failed', reason: 'gates failed after 1 fix loop' } },
        { T1: { state: 'done' }, T2: { state: 'failed', detail: longReason, resumable: true }, T3: { state: 'running' }, T5: { state: 'failed', detail: 'gates failed after 1 fix loop' } },
      ),
    );
    assert.deepEqual(plan.rerun.map((r) => [r.id, r.why.slice(0, 40)]), [
      ['T2', 'stopped by budget: The batch budget of $'],
      ['T3', 'cut off while running: its process stopp'],
      ['T4', 'had not started'],
    ]);
    const lines = describeResume(plan);
    assert.equal(lines[0], 'resuming batch B1: 2 finished ticket(s) kept (T1 done, T5 failed), running T2, T3, T4');
    assert.equal(lines.length, 4);
    for (const line of lines.slice(1)) assert.ok(line.length <= 120, `short: ${line}`);
  });

  it('refuses a batch without resume information or base commit, saying why', () => {
    assert.throws(() => planResume(storedBatch({ T1: { status: 'queued' } }, {}, {})), (e: unknown) => e instanceof ResumeError && /no resume information/.test(e.message));
    const noBase = { ...storedBatch({ T1: { status: 'queued' } }, {}), baseCommit: null };
    assert.throws(() => planResume(noBase), (e: unknown) => e instanceof ResumeError && /base commit/.test(e.message));
  });
});
