import assert from 'node:assert/strict';
import type { Logger } from '../../../src/core/logger';
import { TicketCancelledError } from '../../../src/core/batch/schedulerTypes';
import { chainNodes, harness } from './schedulerHarness';

const n = (id: string, dependsOn: string[] = []) => ({ id, dependsOn, predictedFiles: [] });

describe('Scheduler: cancellation', () => {
  it('cancels a running ticket mid-batch: aborts its signal, blocks its dependents, lets the rest finish', async () => {
    const nodes = [n('A'), n('A2', ['A']), n('B'), n('C'), n('D', ['B'])];
    const h = harness(nodes, { A: [{ ms: 100 }] }, { concurrency: 1 });
    const done = h.scheduler.start();
    await h.clock.advanceBy(50);
    assert.equal(h.scheduler.state('A')?.status, 'running');
    assert.equal(h.scheduler.cancel('A'), true);
    assert.equal(h.signals.get('A')?.aborted, true);
    assert.ok(h.signals.get('A')?.reason instanceof TicketCancelledError);
    const result = await h.clock.runUntil(done);
    const byId = new Map(result.tickets.map((t) => [t.id, t]));
    assert.equal(byId.get('A')?.status, 'cancelled');
    assert.equal(byId.get('A')?.endedAt, 50);
    assert.equal(byId.get('A2')?.status, 'blocked');
    assert.equal(byId.get('A2')?.reason, 'blocked: dependency A cancelled');
    for (const id of ['B', 'C', 'D']) assert.equal(byId.get(id)?.status, 'done');
    // The freed slot went to the next ticket at once.
    assert.equal(byId.get('B')?.startedAt, 50);
    assert.equal(h.scheduler.cancel('A'), false, 'a settled ticket cannot be cancelled again');
    assert.equal(h.scheduler.cancel('NOPE'), false);
  });

  it('cancels a ticket that has not started yet', async () => {
    const h = harness(chainNodes(['A', 'B', 'C']), {}, { concurrency: 1 });
    h.scheduler.cancel('B');
    const result = await h.clock.runUntil(h.scheduler.start());
    assert.deepEqual(result.tickets.map((t) => [t.id, t.status]), [['A', 'done'], ['B', 'cancelled'], ['C', 'blocked']]);
    assert.deepEqual(h.trace(['started']), ['started:A']);
  });

  it('ignores what an aborted run reports afterwards', async () => {
    const h = harness([n('A'), n('B', ['A'])], { A: [{ ms: 100, ignoreAbort: true }] });
    const done = h.scheduler.start();
    await h.clock.advanceBy(10);
    h.scheduler.cancel('A');
    const result = await h.clock.runUntil(done);
    await h.clock.advanceBy(200); // the run ignoring its signal reports "done" now
    assert.equal(h.scheduler.state('A')?.status, 'cancelled');
    assert.equal(result.tickets[1]?.status, 'blocked');
    assert.equal(h.trace(['finished']).length, 0);
  });

  it('cancels a ticket waiting out its retry backoff, and never starts the next attempt', async () => {
    const h = harness([n('A')], { A: [{ ms: 10, outcome: { kind: 'transient', reason: '529' } }] }, { backoffMs: () => 1000 });
    const done = h.scheduler.start();
    await h.clock.advanceBy(20);
    assert.equal(h.scheduler.state('A')?.status, 'retrying');
    h.scheduler.cancel('A');
    await h.clock.runUntil(done);
    assert.equal(h.clock.pendingTimers, 0);
    assert.deepEqual(h.trace(['started', 'retrying', 'cancelled']), ['started:A', 'retrying:A', 'cancelled:A']);
  });

  it('cancelAll mid-batch aborts the running tickets, cancels the rest (not "blocked") and resolves', async () => {
    const h = harness([...chainNodes(['A', 'B', 'C']), n('X'), n('Y'), n('Z')], { A: [{ ms: 100 }], X: [{ ms: 5 }], Y: [{ ms: 100 }] }, { concurrency: 2 });
    const done = h.scheduler.start();
    await h.clock.advanceBy(30);
    h.scheduler.cancelAll();
    const result = await h.clock.runUntil(done);
    assert.equal(result.endedAt, 30);
    assert.deepEqual(
      result.tickets.map((t) => [t.id, t.status]),
      [['A', 'cancelled'], ['B', 'cancelled'], ['C', 'cancelled'], ['X', 'done'], ['Y', 'cancelled'], ['Z', 'cancelled']],
    );
    assert.equal(h.signals.get('A')?.aborted, true);
    assert.equal(h.signals.get('Y')?.aborted, true);
    assert.equal(h.signals.has('Z'), false, 'Z never started');
    assert.deepEqual(h.trace(['idle']), ['idle']);
    assert.equal(h.events.filter((e) => e.type === 'blocked').length, 0);
  });
});

describe('Scheduler: pause, resume and concurrency', () => {
  it('pause lets running tickets finish, starts nothing new, reports idle; resume continues', async () => {
    const h = harness(['A', 'B', 'C', 'D'].map((id) => n(id)), {}, { concurrency: 2 });
    const done = h.scheduler.start();
    await h.clock.advanceBy(5);
    h.scheduler.pause();
    assert.equal(h.scheduler.isPaused, true);
    await h.clock.advanceBy(100);
    assert.deepEqual(h.trace(['started', 'finished', 'paused', 'idle']), ['started:A', 'started:B', 'paused', 'finished:A', 'finished:B', 'idle']);
    assert.deepEqual(h.events.at(-1), { type: 'idle', complete: false, at: 10 });
    h.scheduler.resume();
    const result = await h.clock.runUntil(done);
    assert.ok(result.tickets.every((t) => t.status === 'done'));
    assert.equal(result.tickets.find((t) => t.id === 'C')?.startedAt, 105);
    assert.deepEqual(h.trace(['resumed', 'idle']), ['idle', 'resumed', 'idle']);
    assert.deepEqual(h.events.at(-1), { type: 'idle', complete: true, at: 115 });
  });

  it('setConcurrency while running: lowering lets running tickets finish, raising starts more at once', async () => {
    const h = harness(Array.from({ length: 8 }, (_, i) => n(`T${i}`)), {}, { concurrency: 3 });
    const done = h.scheduler.start();
    await h.clock.advanceBy(1);
    h.scheduler.setConcurrency(1);
    assert.equal(h.scheduler.currentConcurrency, 1);
    await h.clock.advanceBy(20); // the 3 running finish at 10; then one at a time (10 → 20, 20 → 30)
    const startsAt = (t: number) => h.events.filter((e) => e.type === 'started' && e.at === t).length;
    assert.equal(startsAt(0), 3);
    assert.equal(startsAt(10), 1);
    assert.equal(startsAt(20), 1);
    h.scheduler.setConcurrency(4);
    assert.equal(startsAt(21), 3, 'three more join the one still running');
    await h.clock.runUntil(done);
    assert.equal(h.maxInFlight(), 4);
  });
});

describe('Scheduler: events', () => {
  it('unsubscribes a listener and survives a listener that throws', async () => {
    const errors: string[] = [];
    const logger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) };
    const h = harness([n('A'), n('B')], {}, { logger });
    let seen = 0;
    const off = h.scheduler.on(() => {
      seen++;
    });
    h.scheduler.on(() => {
      throw new Error('listener bug');
    });
    const done = h.scheduler.start();
    off();
    const result = await h.clock.runUntil(done);
    assert.equal(seen, 2, 'saw both "started" events, then nothing');
    assert.ok(result.tickets.every((t) => t.status === 'done'));
    assert.ok(errors.length > 0 && errors.every((m) => m.includes('listener bug')));
  });

  it('start() called twice returns the same promise', () => {
    const h = harness([n('A')], {});
    assert.equal(h.scheduler.start(), h.scheduler.start());
  });
});
