import assert from 'node:assert/strict';
import { buildDag } from '../../../src/core/batch/dag';
import { DagCycleError } from '../../../src/core/batch/dagErrors';
import { Scheduler } from '../../../src/core/batch/scheduler';
import { SchedulerOptionError, TicketTimeoutError } from '../../../src/core/batch/schedulerTypes';
import { VirtualClock } from '../../../src/core/batch/schedulerVirtualClock';
import { harness } from './schedulerHarness';

const n = (id: string, dependsOn: string[] = [], estimatedDuration = 1, predictedFiles: string[] = []) => ({ id, dependsOn, predictedFiles, estimatedDuration });

describe('Scheduler: ready queue', () => {
  it('never runs more than the concurrency limit and finishes every ticket', async () => {
    const nodes = Array.from({ length: 10 }, (_, i) => n(`T${i}`));
    const h = harness(nodes, {}, { concurrency: 3 });
    const result = await h.clock.runUntil(h.scheduler.start());
    assert.equal(h.maxInFlight(), 3);
    assert.ok(result.tickets.every((t) => t.status === 'done' && t.attempts === 1));
    // 10 tickets of 10 ms, 3 at a time: 4 rounds.
    assert.equal(result.endedAt - result.startedAt, 40);
  });

  it('defaults to a concurrency of 3', async () => {
    const h = harness(Array.from({ length: 6 }, (_, i) => n(`T${i}`)), {});
    await h.clock.runUntil(h.scheduler.start());
    assert.equal(h.maxInFlight(), 3);
  });

  it('starts the ticket with the longest remaining critical path first, then priority, then id', async () => {
    // L heads a chain of 3 (remaining paths 3, 2, 1); S1..S3 are single tickets of 1.5 each.
    const nodes = [
      { ...n('S1', [], 1.5), priority: 2 },
      n('S2', [], 1.5),
      { ...n('S3', [], 1.5), priority: 1 },
      n('L', [], 1),
      n('L2', ['L'], 1),
      n('L3', ['L2'], 1),
    ];
    const h = harness(nodes, {}, { concurrency: 1 });
    await h.clock.runUntil(h.scheduler.start());
    assert.deepEqual(h.trace(['started']), ['started:L', 'started:L2', 'started:S3', 'started:S1', 'started:S2', 'started:L3']);
  });

  it('starts a dependent as soon as its own prerequisites finish, not when a whole wave does', async () => {
    // A(10 ms) → B; C is slow (100 ms). A wave scheduler would hold B until C is done.
    const h = harness([n('A'), n('B', ['A']), n('C')], { A: [{ ms: 10 }], B: [{ ms: 10 }], C: [{ ms: 100 }] }, { concurrency: 2 });
    const result = await h.clock.runUntil(h.scheduler.start());
    const b = result.tickets.find((t) => t.id === 'B');
    assert.equal(b?.startedAt, 10);
    assert.equal(result.endedAt, 100);
  });

  it('runs tickets that share a predicted file one after the other', async () => {
    const h = harness([n('A', [], 1, ['src/x.ts']), n('B', [], 1, ['src/x.ts']), n('C')], {}, { concurrency: 3 });
    const result = await h.clock.runUntil(h.scheduler.start());
    const byId = new Map(result.tickets.map((t) => [t.id, t]));
    assert.equal(byId.get('A')?.endedAt, 10);
    assert.equal(byId.get('B')?.startedAt, 10);
    assert.equal(byId.get('C')?.startedAt, 0);
  });

  it('resolves at once, reporting idle, for an empty batch', async () => {
    const h = harness([], {});
    const result = await h.clock.runUntil(h.scheduler.start());
    assert.deepEqual(result.tickets, []);
    assert.deepEqual(h.trace(), ['idle']);
  });

  it('refuses a batch with a cycle before anything runs', () => {
    assert.throws(() => buildDag([n('R03', ['R06']), n('R06', ['R03'])]), (e: unknown) => e instanceof DagCycleError && e.message.includes('R03 → R06 → R03'));
  });

  it('rejects a concurrency below 1 and bad timeouts with a typed error', () => {
    const dag = buildDag([n('A')]);
    const run = async () => ({ kind: 'done' as const });
    assert.throws(() => new Scheduler({ dag, run, concurrency: 0 }), SchedulerOptionError);
    assert.throws(() => new Scheduler({ dag, run, timeoutMs: -5 }), SchedulerOptionError);
    assert.throws(() => new Scheduler({ dag, run, maxRetries: 1.5 }), SchedulerOptionError);
    assert.throws(() => new Scheduler({ dag, run }).setConcurrency(0), SchedulerOptionError);
  });
});

describe('Scheduler: failures', () => {
  it('blocks the transitive dependents of a failed ticket with its reason; independent tickets continue', async () => {
    // R01 fails; R02 depends on it, R03 on R02; R04 is independent; R05 depends on R04.
    const nodes = [n('R01'), n('R02', ['R01']), n('R03', ['R02']), n('R04'), n('R05', ['R04'])];
    const h = harness(nodes, { R01: [{ ms: 10, outcome: { kind: 'failed', reason: 'tests failed' } }] }, { concurrency: 2 });
    const result = await h.clock.runUntil(h.scheduler.start());
    const byId = new Map(result.tickets.map((t) => [t.id, t]));
    assert.equal(byId.get('R01')?.status, 'failed');
    assert.equal(byId.get('R01')?.reason, 'tests failed');
    for (const id of ['R02', 'R03']) {
      assert.equal(byId.get(id)?.status, 'blocked');
      assert.equal(byId.get(id)?.reason, 'blocked: dependency R01 failed (tests failed)');
      assert.equal(byId.get(id)?.attempts, 0);
    }
    assert.equal(byId.get('R04')?.status, 'done');
    assert.equal(byId.get('R05')?.status, 'done');
    const blocked = h.events.filter((e) => e.type === 'blocked');
    assert.deepEqual(blocked.map((e) => (e.type === 'blocked' ? [e.ticketId, e.blockedBy] : [])), [['R02', 'R01'], ['R03', 'R01']]);
  });

  it('does not block a ticket that only shares a file with the failed one', async () => {
    const h = harness([n('A', [], 1, ['f']), n('B', [], 1, ['f'])], { A: [{ ms: 10, outcome: { kind: 'failed', reason: 'no' } }] });
    const result = await h.clock.runUntil(h.scheduler.start());
    assert.deepEqual(result.tickets.map((t) => [t.id, t.status]), [['A', 'failed'], ['B', 'done']]);
  });

  it('retries transient outcomes with backoff from the injected clock, then succeeds', async () => {
    const transient = { kind: 'transient' as const, reason: '429 rate limited' };
    const h = harness([n('A')], { A: [{ ms: 10, outcome: transient }, { ms: 10, outcome: transient }, { ms: 10 }] }, { maxRetries: 2, backoffMs: (a) => 100 * a });
    const result = await h.clock.runUntil(h.scheduler.start());
    assert.equal(result.tickets[0]?.status, 'done');
    assert.equal(result.tickets[0]?.attempts, 3);
    // 10 + 100 (backoff 1) + 10 + 200 (backoff 2) + 10
    assert.equal(result.endedAt, 330);
    const retrying = h.events.filter((e) => e.type === 'retrying');
    assert.deepEqual(retrying.map((e) => (e.type === 'retrying' ? [e.attempt, e.delayMs, e.reason] : [])), [[1, 100, '429 rate limited'], [2, 200, '429 rate limited']]);
    assert.deepEqual(h.trace(['started']), ['started:A', 'started:A', 'started:A']);
  });

  it('fails a ticket whose transient failures outlast the retries', async () => {
    const transient = { kind: 'transient' as const, reason: 'overloaded' };
    const h = harness([n('A'), n('B', ['A'])], { A: [{ ms: 10, outcome: transient }] }, { maxRetries: 1, backoffMs: () => 5 });
    const result = await h.clock.runUntil(h.scheduler.start());
    assert.equal(result.tickets[0]?.status, 'failed');
    assert.equal(result.tickets[0]?.reason, 'gave up after 2 attempts: overloaded');
    assert.equal(result.tickets[1]?.reason, 'blocked: dependency A failed (gave up after 2 attempts: overloaded)');
  });

  it('aborts and fails a ticket that exceeds the per-ticket timeout, without retrying it', async () => {
    const h = harness([n('SLOW'), n('NEXT', ['SLOW']), n('OK')], { SLOW: [{ ms: 10_000 }] }, { timeoutMs: 1500 });
    const result = await h.clock.runUntil(h.scheduler.start());
    const slow = result.tickets.find((t) => t.id === 'SLOW');
    assert.equal(slow?.status, 'failed');
    assert.equal(slow?.reason, 'timed out after 1.5 s');
    assert.equal(slow?.attempts, 1);
    assert.equal(slow?.endedAt, 1500);
    const signal = h.signals.get('SLOW');
    assert.equal(signal?.aborted, true);
    assert.ok(signal?.reason instanceof TicketTimeoutError);
    assert.equal(result.tickets.find((t) => t.id === 'NEXT')?.status, 'blocked');
    assert.equal(result.tickets.find((t) => t.id === 'OK')?.status, 'done');
  });

  it('fails a ticket whose runner throws or returns something that is not an outcome', async () => {
    const dag = buildDag([n('THROWS'), n('GARBAGE')]);
    const clock = new VirtualClock();
    const scheduler = new Scheduler({
      dag,
      clock,
      run: async (id) => {
        if (id === 'THROWS') throw new Error('worktree missing');
        return { kind: 'maybe' } as never;
      },
    });
    const result = await clock.runUntil(scheduler.start());
    assert.deepEqual(result.tickets.map((t) => [t.id, t.status]), [['GARBAGE', 'failed'], ['THROWS', 'failed']]);
    assert.equal(scheduler.state('THROWS')?.reason, 'worktree missing');
    assert.match(scheduler.state('GARBAGE')?.reason ?? '', /^invalid outcome from the runner/);
  });
});

describe('Scheduler: large batches', () => {
  it('blocks the rest of a 10,000-ticket chain when its head fails, without overflowing the stack', async () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `T${i}`);
    const dag = buildDag(ids.map((id, i) => n(id, i === 0 ? [] : [ids[i - 1] as string])));
    const clock = new VirtualClock();
    const scheduler = new Scheduler({ dag, clock, run: async () => ({ kind: 'failed', reason: 'broken' }) });
    const result = await clock.runUntil(scheduler.start());
    assert.equal(result.tickets.filter((t) => t.status === 'blocked').length, 9_999);
    assert.equal(result.tickets.at(-1)?.reason, 'blocked: dependency T0 failed (broken)');
  });
});
