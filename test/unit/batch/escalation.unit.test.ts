import assert from 'node:assert/strict';
import type { BatchEvent } from '../../../src/core/batch/batchTypes';
import type { ReviewInput } from '../../../src/core/batch/ticketReviewer';
import { DEFAULT_TIER_MODELS } from '../../../src/core/llm/tiers';
import { gitIn, recordOf, runScriptedBatch, scriptedReviewer, ticket, type BatchRun, type WorkerCall } from './batchHarness';

const { fast: HAIKU, balanced: SONNET, strong: OPUS } = DEFAULT_TIER_MODELS;

/**
 * One batch, seven tickets, each scripted to walk one path of the fix-loop / escalation rules
 * (ARCHITECTURE.md idea 4) with maxFixLoops 1 and maxEscalations 1.
 */
const TICKETS = [
  ticket('FIX', { model: 'fast' }), // gates fail once, the fix loop passes
  ticket('ESC', { model: 'fast' }), // the fast worker changes nothing → balanced
  ticket('LOOP', { model: 'fast' }), // gates fail, the fix loop fails too → balanced fixes it
  ticket('LIMIT', { model: 'fast' }), // never changes anything: one escalation, then the limit
  ticket('TOP', { model: 'strong' }), // nowhere to go above strong
  ticket('BYID', { model: SONNET }), // a model picked by id is not escalated
  // Underspecified (no files, no example, no expectation, few words): its ceiling is fast.
  ticket('CEIL', { title: 'Tidy up', description: 'Tidy it.', files: [] }),
];

const act = (call: WorkerCall) => {
  if (call.ticketId === 'ESC') return call.model === HAIKU ? 'nothing' : 'edit';
  if (['LIMIT', 'TOP', 'BYID', 'CEIL'].includes(call.ticketId)) return 'nothing';
  return 'edit';
};

const passes = (id: string, attempt: number) => (id === 'FIX' ? attempt >= 2 : id === 'LOOP' ? attempt >= 3 : true);

describe('runBatch: fix loops and escalation (simulator, scripted worker and reviewer)', function () {
  this.timeout(60_000);
  let run: BatchRun;
  const reviewed: ReviewInput[] = [];
  const callsOf = (id: string) => run.calls.filter((c) => c.ticketId === id);
  const escalations = (id: string) => run.events.filter((e): e is Extract<BatchEvent, { type: 'ticket-escalated' }> => e.type === 'ticket-escalated' && e.id === id);

  before(async () => {
    const reviewer = scriptedReviewer(passes);
    run = await runScriptedBatch({ tickets: TICKETS, act, reviewer: (input) => (reviewed.push(input), reviewer(input)), settings: { 'batch.maxFixLoops': 1, 'batch.maxEscalations': 1 } });
  });

  it('gives failed gates a fix loop on the same tier, with the findings, and keeps the fixed commit', () => {
    const r = recordOf(run, 'FIX');
    assert.equal(r.state, 'done');
    assert.equal(r.fixLoops, 1);
    assert.equal(r.escalations, 0);
    assert.deepEqual(r.stages.map((s) => `${s.stage}:${s.result.split(':')[0]}`), ['work:done', 'review:FAIL', 'fix:done', 'review:PASS']);
    assert.deepEqual(callsOf('FIX'), [
      { ticketId: 'FIX', model: HAIKU, fixing: false },
      { ticketId: 'FIX', model: HAIKU, fixing: true },
    ]);
    assert.equal(r.tierHistory.length, 1);
    assert.ok(r.branch && r.commit);
    assert.match(gitIn(run.repo, 'show', `${r.commit}:notes/FIX.txt`), /FIX done by claude-haiku/);
  });

  it("hands each review the worker's read of the whole branch against the ticket's start, so it need not read it again", () => {
    const r = recordOf(run, 'FIX');
    const fixReview = reviewed.filter((input) => input.ticket.id === 'FIX')[1];
    assert.equal(fixReview?.baseCommit, r.startCommit);
    assert.equal(fixReview?.changes?.unified, `${gitIn(run.repo, 'diff', '--no-color', '--find-renames', '--src-prefix=a/', '--dst-prefix=b/', '--unified=3', `${r.startCommit}`, `${r.commit}`, '--')}\n`);
    assert.deepEqual(fixReview?.changes?.statuses, [{ status: 'added', path: 'notes/FIX.txt' }]);
  });

  it('reports every review to the batch events: the failed gate with the end of its output, and what happens next', () => {
    const reviews = run.events.flatMap((e) => (e.type === 'ticket-reviewed' && e.id === 'LOOP' ? [e.review] : []));
    assert.deepEqual(
      reviews.map((r) => [r.attempt, r.model, r.passed, r.next]),
      [
        [1, HAIKU, false, 'fix loop 1 of 1 on fast'],
        [2, HAIKU, false, 'moving up from fast to balanced'],
        [3, SONNET, true, null],
      ],
    );
    const gate = reviews[0]?.gates[0];
    assert.deepEqual({ name: gate?.name, status: gate?.status, exitCode: gate?.exitCode }, { name: 'test', status: 'fail', exitCode: 1 });
    assert.match(gate?.outputTail ?? '', /not ok 2 - notes\/LOOP\.txt says done\n# fail 1$/);
    const order = run.events.filter((e) => (e.type === 'ticket-reviewed' && e.id === 'LOOP') || (e.type === 'ticket-state' && e.ticket.id === 'LOOP' && e.ticket.state === 'done'));
    assert.equal(order.at(-1)?.type, 'ticket-state', 'the verdict is announced before the ticket is done');
  });

  it('moves a worker that produced nothing up one tier, recording the change and its reason', () => {
    const r = recordOf(run, 'ESC');
    assert.equal(r.state, 'done');
    assert.equal(r.tier, 'balanced');
    assert.equal(r.model, SONNET);
    assert.equal(r.escalations, 1);
    assert.equal(r.fixLoops, 0);
    assert.deepEqual(r.tierHistory.map((h) => [h.tier, h.model]), [['fast', HAIKU], ['balanced', SONNET]]);
    assert.match(r.tierHistory[1]?.reason ?? '', /without changing any file; moving up from fast to balanced/);
    assert.deepEqual(escalations('ESC').map((e) => [e.from, e.to]), [[HAIKU, SONNET]]);
    // It starts over rather than "fixing" nothing.
    assert.deepEqual(callsOf('ESC').map((c) => [c.model, c.fixing]), [[HAIKU, false], [SONNET, false]]);
  });

  it('escalates after a failed fix loop and continues the fix on the stronger tier', () => {
    const r = recordOf(run, 'LOOP');
    assert.equal(r.state, 'done');
    assert.equal(r.fixLoops, 1);
    assert.equal(r.escalations, 1);
    assert.deepEqual(callsOf('LOOP').map((c) => [c.model, c.fixing]), [[HAIKU, false], [HAIKU, true], [SONNET, true]]);
    assert.match(r.tierHistory[1]?.reason ?? '', /test gate failed; moving up from fast to balanced/);
    assert.equal(escalations('LOOP').length, 1);
  });

  it('stops at the escalation limit with the reason', () => {
    const r = recordOf(run, 'LIMIT');
    assert.equal(r.state, 'failed');
    assert.equal(r.escalations, 1);
    assert.deepEqual(r.tierHistory.map((h) => h.tier), ['fast', 'balanced']);
    assert.match(r.detail, /escalation limit \(1\) reached/);
    assert.deepEqual(callsOf('LIMIT').map((c) => c.model), [HAIKU, SONNET]);
  });

  it('does not escalate past the strongest tier', () => {
    const r = recordOf(run, 'TOP');
    assert.equal(r.state, 'failed');
    assert.equal(r.escalations, 0);
    assert.match(r.detail, /already on the strongest tier/);
    assert.deepEqual(callsOf('TOP').map((c) => c.model), [OPUS]);
  });

  it('does not escalate a model picked by id', () => {
    const r = recordOf(run, 'BYID');
    assert.equal(r.state, 'failed');
    assert.equal(r.tier, null);
    assert.equal(r.maxTier, null);
    assert.match(r.detail, /a model picked by id is not escalated/);
    assert.deepEqual(callsOf('BYID').map((c) => c.model), [SONNET]);
    assert.equal(escalations('BYID').length, 0);
  });

  it("stops at an underspecified ticket's ceiling and says to add detail instead", () => {
    const r = recordOf(run, 'CEIL');
    assert.equal(r.maxTier, 'fast');
    assert.equal(r.state, 'failed');
    assert.equal(r.escalations, 0);
    assert.match(r.detail, /fast is this ticket's ceiling — add detail/);
    assert.deepEqual(callsOf('CEIL').map((c) => c.model), [HAIKU]);
  });

  it('accounts every worker call in the usage records and the ticket costs', () => {
    const workCalls = run.tally.all('B1').filter((r) => r.stage === 'work' || r.stage === 'fix');
    // Each scripted edit attempt is two turns, a "nothing" attempt one.
    const expectedTurns = run.calls.reduce((n, c) => n + (act(c) === 'edit' ? 2 : 1), 0);
    assert.equal(workCalls.length, expectedTurns);
    for (const t of TICKETS) {
      const sum = run.tally.all('B1').filter((r) => r.ticketId === t.id).reduce((n, r) => n + (r.costUsd ?? 0), 0);
      assert.ok(Math.abs((recordOf(run, t.id).costUsd ?? -1) - sum) < 1e-12, t.id);
    }
    assert.equal(run.summary.state, 'failed');
  });
});
