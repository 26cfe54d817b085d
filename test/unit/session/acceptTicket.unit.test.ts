import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitClient } from '../../../src/core/git/gitClient';
import { LocalChangesBlockMergeError, MergeConflictError } from '../../../src/core/git/gitErrors';
import { acceptTicket, type OverlapWarning } from '../../../src/core/session/acceptTicket';
import { git, LINES, makeRepo } from './gitFixture';

describe('acceptTicket', () => {
  const client = new GitClient();
  let env: ReturnType<typeof makeRepo>;
  beforeEach(() => {
    env = makeRepo();
  });
  afterEach(() => env.cleanup());

  const target = (ticketId: string) => ({ repoRoot: env.repo, batchId: 'B', ticketId, title: `ticket ${ticketId}`, branch: `flotilla/B/${ticketId}` });
  const never = () => Promise.reject(new Error('no overlap question expected'));

  it('merges a clean ticket with a merge commit whose second parent is the ticket branch', async () => {
    env.branch('flotilla/B/T1', { 'src/a.ts': 'ticket\n' });
    const before = git(env.repo, 'rev-parse', 'HEAD');
    const outcome = await acceptTicket(client, target('T1'), [], { confirmOverlaps: never });
    assert.equal(outcome.kind, 'merged');
    assert.equal(git(env.repo, 'rev-parse', 'HEAD^1'), before);
    assert.equal(git(env.repo, 'rev-parse', 'HEAD^2'), git(env.repo, 'rev-parse', 'flotilla/B/T1'));
    assert.match(git(env.repo, 'log', '-1', '--format=%s'), /^Merge flotilla\/B\/T1: T1 ticket T1$/);
    assert.equal(readFileSync(join(env.repo, 'src/a.ts'), 'utf8'), 'ticket\n');
  });

  it('refuses a ticket that conflicts with the current branch, naming the files, with HEAD and the tree unchanged', async () => {
    env.branch('flotilla/B/T1', { 'src/a.ts': LINES(20, 'a').replace('a 1\n', 'one\n') });
    env.branch('flotilla/B/T2', { 'src/a.ts': LINES(20, 'a').replace('a 1\n', 'two\n') });
    await acceptTicket(client, target('T1'), [], { confirmOverlaps: never });
    const head = git(env.repo, 'rev-parse', 'HEAD');
    await assert.rejects(acceptTicket(client, target('T2'), [], { confirmOverlaps: never }), (error: unknown) => {
      assert.ok(error instanceof MergeConflictError);
      assert.deepEqual(error.files, ['src/a.ts']);
      return true;
    });
    assert.equal(git(env.repo, 'rev-parse', 'HEAD'), head);
    assert.equal(git(env.repo, 'status', '--porcelain'), '');
  });

  it('warns about a conflict with another accepted ticket that is not on the current branch, by its merged commit (its branch is gone), before writing anything', async () => {
    const wt = env.branch('flotilla/B/T1', { 'src/a.ts': LINES(20, 'a').replace('a 1\n', 'one\n') });
    env.branch('flotilla/B/T2', { 'src/a.ts': LINES(20, 'a').replace('a 1\n', 'two\n') });
    const t1 = git(env.repo, 'rev-parse', 'flotilla/B/T1');
    // Accept deletes the branch and its worktree: only the recorded commit is left.
    git(env.repo, 'worktree', 'remove', '--force', wt);
    git(env.repo, 'branch', '-D', 'flotilla/B/T1');
    const head = git(env.repo, 'rev-parse', 'HEAD');
    let asked: readonly OverlapWarning[] = [];
    const outcome = await acceptTicket(client, target('T2'), [{ ticketId: 'T1', batchId: 'B', commit: t1 }], {
      confirmOverlaps: (warnings) => {
        asked = warnings;
        return Promise.resolve(false);
      },
    });
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(asked[0]?.other.ticketId, 'T1');
    assert.deepEqual(asked[0]?.conflicts.map((c) => c.path), ['src/a.ts']);
    assert.equal(git(env.repo, 'rev-parse', 'HEAD'), head);

    const confirmed = await acceptTicket(client, target('T2'), [{ ticketId: 'T1', batchId: 'B', commit: t1 }], { confirmOverlaps: () => Promise.resolve(true) });
    assert.equal(confirmed.kind, 'merged');
    // A commit git no longer has is skipped, not an error.
    assert.equal((await acceptTicket(client, target('T2'), [{ ticketId: 'T1', batchId: 'B', commit: 'f'.repeat(40) }], { confirmOverlaps: never })).kind, 'alreadyMerged');
  });

  it('refuses when the user has uncommitted changes to a file the merge changes', async () => {
    env.branch('flotilla/B/T1', { 'src/b.ts': 'ticket\n' });
    writeFileSync(join(env.repo, 'src/b.ts'), 'mine\n');
    await assert.rejects(acceptTicket(client, target('T1'), [], { confirmOverlaps: never }), (error: unknown) => {
      assert.ok(error instanceof LocalChangesBlockMergeError);
      assert.deepEqual(error.files, ['src/b.ts']);
      return true;
    });
    assert.equal(readFileSync(join(env.repo, 'src/b.ts'), 'utf8'), 'mine\n');
  });
});
