import assert from 'node:assert/strict';
import type { TicketWorkerResult } from '../../../src/core/worker/runTicketWorker';
import { WorkerLogBuffer } from '../../../src/core/worker/workerLogBuffer';
import type { WorkerEventListener } from '../../../src/core/worker/workerEvents';
import { WorkerTaskNotStartedError, WorkerTaskSession, type WorkerRun } from '../../../src/core/worker/workerTaskSession';
import { resultOf } from './workerResults';

function harness(run: WorkerRun, options: { reviewFollows?: boolean } = {}) {
  const written: string[] = [];
  const exits: number[] = [];
  const output = new WorkerLogBuffer();
  let calls = 0;
  const session = new WorkerTaskSession({
    ticketId: 'T1',
    run: (signal, onEvent) => {
      calls += 1;
      return run(signal, onEvent);
    },
    write: (data) => written.push(data),
    exit: (code) => exits.push(code),
    output,
    header: [{ style: 'phase', text: '▸ Flotilla worker for T1 (batch B1)' }],
    ...options,
  });
  return { session, written, exits, output, calls: () => calls };
}

/** A run that reports a turn and a tool call, then waits until aborted, as a worker mid-call does. */
const runUntilAborted: WorkerRun = (signal: AbortSignal, onEvent: WorkerEventListener) => {
  onEvent({ kind: 'turn', turn: 1, model: 'claude-sonnet-5-5' });
  onEvent({ kind: 'tool', turn: 1, name: 'run_command', summary: 'sleep 30' });
  return new Promise<TicketWorkerResult>((resolve) => {
    signal.addEventListener('abort', () => resolve(resultOf('cancelled', { turns: 1 })), { once: true });
  });
};

describe('WorkerTaskSession (the pseudoterminal behind a worker task)', () => {
  it('starts the worker on open, streams its log to the terminal and the buffer, and exits 0 when done', async () => {
    const h = harness(async (_signal, onEvent) => {
      onEvent({ kind: 'turn', turn: 1, model: 'claude-sonnet-5-5' });
      onEvent({ kind: 'tool', turn: 1, name: 'edit_file', summary: 'src/greet.ts' });
      return resultOf('done');
    });
    assert.equal(h.calls(), 0, 'nothing runs before the terminal opens');
    h.session.open();
    h.session.open();
    const result = await h.session.result;
    assert.equal(result.status, 'done');
    assert.equal(h.calls(), 1, 'a second open() does not start a second worker');
    assert.deepEqual(h.exits, [0]);
    const text = h.output.text();
    assert.match(text, /^▸ Flotilla worker for T1 \(batch B1\)\nturn 1 · claude-sonnet-5-5\n→ edit_file src\/greet\.ts\n✓ done in 3 turns/);
    assert.ok(h.written.every((chunk) => chunk.endsWith('\u001b[0m\r\n')), 'every terminal line is reset and ends in \\r\\n');
    assert.ok(h.written.some((chunk) => chunk.includes('→ edit_file src/greet.ts')));
  });

  it('when gates follow, stays open after the worker and ends with their verdict: exit 1 and the failure when they fail', async () => {
    const h = harness(async () => resultOf('done'), { reviewFollows: true });
    h.session.open();
    assert.equal((await h.session.result).status, 'done', 'the batch gets the worker result at once, to run the gates');
    assert.deepEqual(h.exits, [], 'the terminal waits for the verdict');
    assert.equal(h.session.awaitingReview, true);
    assert.doesNotMatch(h.output.text(), /✓ done/, 'a finished worker is not shown as done before its gates');
    assert.match(h.output.text(), /▸ worker finished in 3 turns · commit 0123456789 on flotilla\/B1\/T1 · 1 file changed\n.*\n.*\n▸ running gates and review…$/);
    h.session.reviewed([{ style: 'failed', text: '✗ not accepted: test gate failed' }], false);
    h.session.reviewed([{ style: 'done', text: 'late' }], true);
    await h.session.finished;
    assert.deepEqual(h.exits, [1]);
    assert.match(h.output.text(), /✗ not accepted: test gate failed$/);
  });

  it('when gates follow but the worker failed, ends at once as before', async () => {
    const h = harness(async () => resultOf('failed'), { reviewFollows: true });
    h.session.open();
    await h.session.result;
    await h.session.finished;
    assert.deepEqual(h.exits, [1]);
    assert.equal(h.session.awaitingReview, false);
  });

  it('aborts the worker when the terminal is closed and exits 130 once the worker has stopped', async () => {
    const h = harness(runUntilAborted);
    h.session.open();
    assert.deepEqual(h.exits, [], 'still running');
    h.session.close();
    assert.equal(h.session.signal.aborted, true);
    const result = await h.session.result;
    assert.equal(result.status, 'cancelled');
    assert.deepEqual(h.exits, [130]);
    assert.match(h.output.text(), /→ run_command sleep 30\n■ cancelled after 1 turn: /);
  });

  it('runs nothing when closed before it opened, and says so to the caller', async () => {
    const h = harness(runUntilAborted);
    h.session.close();
    h.session.open();
    await assert.rejects(h.session.result, (error: unknown) => error instanceof WorkerTaskNotStartedError && error.ticketId === 'T1');
    assert.equal(h.calls(), 0);
    assert.equal(h.session.signal.aborted, true);
  });

  it('abandon() settles a session VS Code never opened, and is ignored once the worker runs', async () => {
    const dropped = harness(runUntilAborted);
    const reason = new Error('dropped');
    dropped.session.abandon(reason);
    await assert.rejects(dropped.session.result, (error: unknown) => error === reason);

    const running = harness(runUntilAborted);
    running.session.open();
    running.session.abandon(new Error('late'));
    assert.equal(running.session.signal.aborted, false, 'a running worker is only stopped by close()');
    running.session.close();
    assert.equal((await running.session.result).status, 'cancelled');
  });

  for (const how of ['rejects', 'throws synchronously'] as const) {
    it(`shows the error and exits 1 when the run ${how}`, async () => {
      const boom = new Error('git worktree add failed\nfatal: details');
      const h = harness((_signal, onEvent) => {
        onEvent({ kind: 'text', delta: 'half a line' });
        if (how === 'throws synchronously') throw boom;
        return Promise.reject(boom);
      });
      h.session.open();
      await assert.rejects(h.session.result, (error: unknown) => error === boom);
      assert.deepEqual(h.exits, [1]);
      assert.match(h.output.text(), /\n {2}half a line\n✗ the worker stopped with an error: git worktree add failed$/);
    });
  }
});
