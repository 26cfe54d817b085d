import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchSummary } from '../../../src/core/batch/batchTypes';
import { recordOf, runScriptedBatch, ticket } from './batchHarness';

const FINAL = ['done', 'failed', 'blocked', 'cancelled'];

/** Issue 11 item 1: when a batch ends, every ticket is final with a one-line reason. */
function assertAllFinal(summary: BatchSummary): void {
  for (const t of summary.tickets) {
    assert.ok(FINAL.includes(t.state), `${t.id} ended ${t.state}: ${t.detail}`);
    if (t.state !== 'done') {
      assert.ok(t.detail.trim().length > 0, `${t.id} has no reason`);
      assert.doesNotMatch(t.detail, /\n/, `${t.id}: the reason is one line`);
    }
  }
}

describe('runBatch: every ticket ends in a final state with a reason', function () {
  this.timeout(60_000);

  it('a `git worktree add` that fails leaves the ticket failed with git’s one-line reason; the others run', async () => {
    const storage = join(mkdtempSync(join(tmpdir(), 'flotilla-final-')), 'storage');
    // Where T's worktree must go is taken by a file: git itself refuses the add.
    mkdirSync(join(storage, 'worktrees', 'B1'), { recursive: true });
    writeFileSync(join(storage, 'worktrees', 'B1', 'T'), 'in the way\n');
    const run = await runScriptedBatch({ tickets: [ticket('T', { model: 'fast' }), ticket('U', { model: 'fast' })], request: { storageDir: storage } });
    assertAllFinal(run.summary);
    const t = recordOf(run, 'T');
    assert.equal(t.state, 'failed');
    assert.match(t.detail, /git worktree add .* failed .*already exists/);
    assert.equal(t.resumable, true, 'a run that threw is resumable');
    assert.equal(recordOf(run, 'U').state, 'done');
    assert.equal(run.summary.state, 'failed');
  });

  it('a worktrees folder that cannot be created (a file in its place) fails every ticket with the reason', async () => {
    const storage = join(mkdtempSync(join(tmpdir(), 'flotilla-final-')), 'storage');
    mkdirSync(storage, { recursive: true });
    writeFileSync(join(storage, 'worktrees'), 'not a folder\n');
    const run = await runScriptedBatch({ tickets: [ticket('T', { model: 'fast' }), ticket('U', { model: 'fast', dependsOn: ['T'] })], request: { storageDir: storage } });
    assertAllFinal(run.summary);
    assert.equal(recordOf(run, 'T').state, 'failed');
    assert.match(recordOf(run, 'T').detail, /ENOTDIR|not a directory/);
    assert.equal(recordOf(run, 'U').state, 'blocked');
  });

  it('tickets waiting to retry a rate-limited or overloaded API end failed once the retries are spent', async () => {
    const faults = Array.from({ length: 6 }, () => ({ kind: 'overloaded' as const }));
    const run = await runScriptedBatch({ tickets: [ticket('T', { model: 'fast' })], faults });
    assertAllFinal(run.summary);
    const t = recordOf(run, 'T');
    assert.equal(t.state, 'failed');
    assert.match(t.detail, /gave up after 2 attempts: .*[Oo]verloaded/);
    assert.equal(t.resumable, true, 'retries spent are not the ticket’s fault: a resume runs it again');
    const last = run.events.filter((e) => e.type === 'ticket-state' && e.ticket.id === 'T').at(-1);
    assert.equal(last?.type === 'ticket-state' ? last.ticket.state : undefined, 'failed', 'the last event says failed, not "waiting to retry"');
    assert.equal(run.summary.state, 'failed');
  });
});
