import assert from 'node:assert/strict';
import { parseHostMessage, type HostMessage } from '../../../src/core/panel/panelProtocol';
import { PanelModel, panelSettings } from '../../../src/core/panel/panelModel';
import type { CurrentBatch, Lane, TicketRow } from '../../../src/core/panel/panelSnapshot';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { ScriptedBatch, VirtualClock } from './scriptedBatch';

function setup(monthlyUsd = 0) {
  const clock = new VirtualClock();
  const settings = { ...defaultSettings(), 'budget.monthlyUsd': monthlyUsd };
  const model = new PanelModel({ clock: clock.now, settings: () => panelSettings(settings) });
  return { clock, model };
}

function current(model: PanelModel): CurrentBatch {
  const snapshot = model.snapshot().current;
  assert.ok(snapshot, 'a current batch');
  return snapshot;
}

const row = (model: PanelModel, id: string): TicketRow => {
  const found = current(model).rows.find((r) => r.id === id);
  assert.ok(found, `row ${id}`);
  return found;
};
const lane = (model: PanelModel, id: string): Lane => {
  const found = current(model).lanes.find((l) => l.ticketId === id);
  assert.ok(found, `lane ${id}`);
  return found;
};
const kinds = (l: Lane) => l.segments.map((s) => (s.kind === 'working' ? `working:${s.tier}` : s.kind));
const cents = (usd: number | null) => (usd === null ? null : Math.round(usd * 100));

describe('panel model: a live batch', () => {
  it('folds events and usage into rows, live progress, lanes and totals that match the batch summary', () => {
    const { clock, model } = setup();
    model.setDependencies(new Map([['B', ['A']]]));
    const batch = new ScriptedBatch(model, clock, 'b-live', [{ id: 'A' }, { id: 'B', tier: 'balanced', complexityClass: 'standard' }, { id: 'C' }], 'orchestrated');
    batch.start();
    assert.equal(current(model).header.state, 'running');
    assert.deepEqual(kinds(lane(model, 'B')), ['waiting'], 'B waits for A');
    assert.deepEqual(kinds(lane(model, 'A')), ['queued']);

    batch.planning('started');
    assert.equal(current(model).header.state, 'planning');
    clock.advance(2000);
    batch.call(null, 'plan', 'balanced', { input: 9000, output: 1500 });
    batch.planning('done', 'A first, B builds on it');
    assert.deepEqual(current(model).timeline.planning, { fromMs: 0, toMs: 2000 });

    batch.state('A', { state: 'running', detail: 'working on claude-haiku-5-5' });
    clock.advance(1000);
    batch.worker('A', { kind: 'turn', turn: 2, model: 'claude-haiku-5-5' });
    batch.worker('A', { kind: 'tool', turn: 2, name: 'edit_file', summary: 'src/a.ts' });
    assert.deepEqual(row(model, 'A').progress, { turn: 2, maxTurns: 40, tool: 'edit_file src/a.ts', phase: null });
    batch.call('A', 'work', 'fast', { input: 1000, output: 200, cacheRead: 5000, cacheWrite: 3000 });
    assert.deepEqual(row(model, 'A').tokens, { input: 1000, output: 200, cacheRead: 5000, cacheWrite: 3000, total: 9200 });
    assert.deepEqual(row(model, 'A').actions, ['cancel'], 'a running ticket can be cancelled');

    // C: the gates fail on fast, a fix loop fails again, it moves up to balanced and passes.
    batch.state('C', { state: 'running' });
    clock.advance(1000);
    batch.call('C', 'work', 'fast', { input: 800, output: 100 });
    batch.state('C', { state: 'reviewing' });
    clock.advance(500);
    batch.state('C', { review: { level: 'standard', result: 'FAIL', findings: 1 } });
    batch.state('C', { state: 'running', fixLoops: 1 });
    clock.advance(500);
    batch.state('C', { state: 'reviewing' });
    clock.advance(500);
    batch.escalate('C', 'balanced', 'gates failed after a fix loop');
    batch.state('C', { state: 'running' });
    clock.advance(1000);
    batch.call('C', 'work', 'balanced', { input: 900, output: 150 });
    batch.state('C', { state: 'reviewing' });
    clock.advance(400);
    batch.call('C', 'review', 'fast', { input: 2000, output: 100 }, 300);
    batch.state('C', { review: { level: 'standard', result: 'PASS', findings: 0 } });
    clock.advance(100);
    batch.state('C', { state: 'done' });
    assert.deepEqual(kinds(lane(model, 'C')), ['queued', 'working:fast', 'gates', 'working:fast', 'gates', 'working:balanced', 'gates', 'review']);
    const review = lane(model, 'C').segments.at(-1);
    assert.equal(review?.fromMs, 6900 - 300, 'the review starts when its first call did (recorded time minus latency)');
    assert.equal(lane(model, 'C').end, 'awaitingReview', 'a lane ends in the lifecycle its row shows');
    assert.deepEqual(row(model, 'C').tierPath, ['fast', 'balanced']);
    assert.deepEqual(row(model, 'C').actions, ['review', 'accept', 'reject', 'setModel'], 'no Retry while the batch runs');

    clock.advance(1000);
    batch.state('A', { state: 'reviewing' });
    batch.state('A', { state: 'done' });
    assert.deepEqual(kinds(lane(model, 'B')), ['waiting', 'queued'], 'B is released when A is done');
    assert.equal(lane(model, 'B').segments[1]?.fromMs, 8000);
    batch.runToDone('B', 700);

    const live = current(model).header;
    const spentSoFar = batch.tally.totals({ batchId: 'b-live' }).costUsd;
    assert.equal(live.spentUsd?.toFixed(9), spentSoFar?.toFixed(9), 'measured spend is the sum of the usage records');
    assert.ok(live.estimate && live.estimate.capUsd > 0);
    assert.equal(live.counts.done, 3);

    clock.advance(50);
    const summary = batch.finish('done');
    const header = current(model).header;
    assert.equal(header.state, 'done');
    assert.equal(header.live, false);
    assert.equal(header.spentUsd, summary.totals.costUsd);
    assert.equal(header.tokens, summary.totals.tokens);
    assert.equal(header.elapsedMs, clock.t - Date.parse(current(model).header.startedAt));
    for (const record of summary.tickets) assert.equal(row(model, record.id).costUsd, record.costUsd, `${record.id}'s cost is its record's`);
    const savings = Object.fromEntries(current(model).savings.map((s) => [s.kind, s]));
    assert.equal(savings.routing?.savedPct, summary.analysis.routingSavingsVsStrongPct, 'routing savings agree with the summary');
    assert.equal(savings.batching?.baselineUsd, summary.analysis.singleAgentEstimateUsd);
    assert.equal(savings.batching?.basis, 'estimate');
    assert.equal(savings.caching?.basis, 'measured');
    assert.ok((savings.caching?.savedUsd ?? 0) > 0, 'cache reads made it cheaper than no cache');
    assert.deepEqual(row(model, 'A').actions, ['review', 'accept', 'reject', 'retry', 'setModel']);
  });

  it('names each row\'s worker engine: the batch\'s before its first run, then the engine of its last run', () => {
    const { clock, model } = setup();
    const batch = new ScriptedBatch(model, clock, 'b-engine', [{ id: 'A' }, { id: 'B' }]);
    batch.engine = { name: 'claude-code', reason: 'Claude Code was chosen' };
    batch.start();
    assert.equal(row(model, 'A').engine, 'Claude Code', 'queued: the engine the batch chose');
    batch.state('B', { state: 'reviewing', stages: [{ stage: 'work', model: 'claude-haiku-5-5', tier: 'fast', tokens: 10, costUsd: 0, result: 'done', engine: 'builtin' }, { stage: 'review', model: 'claude-haiku-5-5', tier: 'fast', tokens: 10, costUsd: 0, result: 'PASS' }] });
    assert.equal(row(model, 'B').engine, 'Built-in', 'the engine its last run recorded (a review stage names none)');
  });

  it('shows spend left this month and the batch mode in one sentence', () => {
    const { clock, model } = setup(50);
    model.setMonthSpend(12.5);
    new ScriptedBatch(model, clock, 'b-month', [{ id: 'A' }, { id: 'B' }]).start();
    const header = current(model).header;
    assert.deepEqual(header.budget, { monthlyLimitUsd: 50, monthSpentUsd: 12.5, leftUsd: 37.5 });
    assert.match(header.modeSentence, /^(Direct: no shared planning, because for 2 tickets it|Orchestrated: one shared planning call for 2 tickets)/);
    assert.equal(header.simulated, true);
  });

  it('ignores usage of other batches and events after a stored batch took over', () => {
    const { clock, model } = setup();
    const batch = new ScriptedBatch(model, clock, 'b-one', [{ id: 'A' }]);
    batch.start();
    const other = new ScriptedBatch({ onBatchEvent: () => undefined, onUsage: (r) => model.onUsage(r) }, clock, 'b-other', [{ id: 'A' }]);
    other.call('A', 'work', 'strong', { input: 100000, output: 1000 });
    assert.equal(current(model).header.spentUsd, 0);
    assert.equal(row(model, 'A').costUsd, 0);
  });

  it('marks the cost of a ticket unknown when one of its calls has no price', () => {
    const { clock, model } = setup();
    const batch = new ScriptedBatch(model, clock, 'b-unpriced', [{ id: 'A' }]);
    batch.start();
    batch.state('A', { state: 'running' });
    const record = batch.call('A', 'work', 'fast', { input: 10, output: 10 });
    model.onUsage({ ...record, model: 'claude-unknown', costUsd: null, requestId: 'x' });
    assert.equal(row(model, 'A').costUsd, null);
    assert.equal(current(model).header.spentUsd, null);
    assert.match(current(model).savings[0]?.how ?? '', /no price for claude-unknown/);
  });
});

describe('panel model: messages', () => {
  it('sends a snapshot first, then only what changed, each message valid under the protocol', () => {
    const { clock, model } = setup();
    const batch = new ScriptedBatch(model, clock, 'b-msg', [{ id: 'A' }, { id: 'B' }, { id: 'C' }]);
    const valid = (message: HostMessage | null): HostMessage => {
      assert.ok(message);
      const parsed = parseHostMessage(JSON.parse(JSON.stringify(message)));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      return parsed.message;
    };
    const empty = valid(model.takeMessage());
    assert.equal(empty.type, 'snapshot');
    assert.equal(empty.type === 'snapshot' && empty.snapshot.current, null);
    batch.start();
    const first = valid(model.takeMessage());
    assert.equal(first.type, 'snapshot', 'a new batch resets the view');
    assert.equal(first.type === 'snapshot' && first.snapshot.current?.rows.length, 3);
    assert.equal(model.takeMessage(), null, 'nothing changed, nothing sent');

    batch.state('B', { state: 'running' });
    batch.worker('B', { kind: 'turn', turn: 1, model: 'claude-haiku-5-5' });
    const update = valid(model.takeMessage());
    assert.equal(update.type, 'update');
    if (update.type !== 'update') return;
    assert.equal(update.baseRev, first.rev);
    assert.equal(update.rev, first.rev + 1);
    assert.deepEqual(update.rows.map((r) => r.id), ['B'], 'only the changed row');
    assert.deepEqual(update.lanes.map((l) => l.ticketId), ['B']);
    assert.equal(update.header?.counts.active, 3);
    assert.equal(update.history, undefined);

    batch.worker('B', { kind: 'text', delta: 'thinking' });
    assert.equal(model.takeMessage(), null, 'streamed text changes nothing shown');
    const full = valid(model.takeMessage(true));
    assert.equal(full.type, 'snapshot', 'a view that (re)connects gets everything');
    assert.equal(full.rev, update.rev + 1);
  });

  it('fires a change for every mutation, so the host can coalesce them', () => {
    const { clock, model } = setup();
    let changes = 0;
    const off = model.onDidChange(() => changes++);
    const batch = new ScriptedBatch(model, clock, 'b-changes', [{ id: 'A' }]);
    batch.start();
    batch.state('A', { state: 'running' });
    off();
    batch.state('A', { state: 'done' });
    assert.equal(changes, 2);
  });
});

describe('panel model: cents', () => {
  it('keeps the header total equal to the summary to the cent across many small calls', () => {
    const { clock, model } = setup();
    const ids = Array.from({ length: 12 }, (_, i) => ({ id: `T${i + 1}` }));
    const batch = new ScriptedBatch(model, clock, 'b-cents', ids);
    batch.start();
    for (const t of ids) batch.runToDone(t.id, 120, 5);
    const summary = batch.finish('done');
    assert.equal(cents(current(model).header.spentUsd), cents(summary.totals.costUsd));
    const rowsSum = current(model).rows.reduce((s, r) => s + (r.costUsd ?? 0), 0);
    const reviewAndWork = batch.tally.totals({ batchId: 'b-cents' }).costUsd ?? 0;
    assert.equal(cents(rowsSum), cents(reviewAndWork), 'no call outside a ticket in this batch');
  });
});

describe('panel model: each ticket\'s lifecycle', () => {
  it('says waiting (and on what), running, gates, awaiting review, accepted or rejected, or failed with the reason', () => {
    const { clock, model } = setup();
    model.setDependencies(new Map([['B', ['A']]]));
    const batch = new ScriptedBatch(model, clock, 'b-life', [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]);
    batch.start();
    assert.equal(row(model, 'B').lifecycle, 'waiting');
    assert.deepEqual(row(model, 'B').waitingOn, ['A']);
    assert.equal(row(model, 'A').lifecycle, 'queued');
    model.takeMessage();

    batch.state('A', { state: 'running' });
    assert.equal(row(model, 'A').lifecycle, 'running');
    batch.state('A', { state: 'reviewing' });
    assert.equal(row(model, 'A').lifecycle, 'gates');
    batch.state('A', { state: 'done' });
    assert.equal(row(model, 'A').lifecycle, 'awaitingReview');
    const released = model.takeMessage();
    assert.equal(released?.type, 'update');
    assert.deepEqual(released?.type === 'update' ? released.rows.find((r) => r.id === 'B')?.waitingOn : undefined, [], 'B\'s row is sent again once A is done');
    assert.equal(row(model, 'B').lifecycle, 'queued');

    batch.state('C', { state: 'failed', detail: 'test gate failed: 2 of 48 tests fail' });
    assert.equal(row(model, 'C').lifecycle, 'failed');
    assert.equal(row(model, 'C').detail, 'test gate failed: 2 of 48 tests fail');
    batch.runToDone('B', 500);
    batch.runToDone('D', 500);
    batch.finish('failed');
    model.takeMessage();

    model.setDecisions('b-life', { A: 'accepted', B: 'rejected' });
    const decided = model.takeMessage();
    assert.equal(decided?.type, 'update');
    assert.deepEqual(decided?.type === 'update' ? decided.rows.map((r) => `${r.id}:${r.lifecycle}`).sort() : [], ['A:accepted', 'B:rejected']);
    assert.equal(row(model, 'D').lifecycle, 'awaitingReview');
    const counts = current(model).header.counts;
    assert.deepEqual(
      { done: counts.done, awaitingReview: counts.awaitingReview, accepted: counts.accepted, rejected: counts.rejected, failed: counts.failed },
      { done: 3, awaitingReview: 1, accepted: 1, rejected: 1, failed: 1 },
    );
  });
});
