import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitClient } from '../../../src/core/git/gitClient';
import { acceptFileChange, rejectFileChange } from '../../../src/core/session/fileDecisions';
import { FileMergeConflictError, LocalFileChangesError } from '../../../src/core/session/reviewErrors';
import { git, LINES, makeRepo } from './gitFixture';

describe('per-file accept and reject', () => {
  const client = new GitClient();
  let env: ReturnType<typeof makeRepo>;
  beforeEach(() => {
    env = makeRepo();
  });
  afterEach(() => env.cleanup());

  it('accepts one file of a ticket as its own commit on the current branch, leaving the other file out', async () => {
    env.branch('flotilla/B/T1', { 'src/a.ts': LINES(20, 'a').replace('a 3\n', 'A3\n'), 'src/b.ts': 'changed\n', 'src/new.ts': 'new\n' });
    const outcome = await acceptFileChange(client, env.repo, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/a.ts', ticketId: 'T1' });
    assert.equal(outcome.kind, 'committed');
    assert.equal(git(env.repo, 'rev-parse', 'HEAD'), outcome.kind === 'committed' ? outcome.commit : '');
    assert.match(readFileSync(join(env.repo, 'src/a.ts'), 'utf8'), /^A3$/m);
    assert.equal(readFileSync(join(env.repo, 'src/b.ts'), 'utf8'), LINES(5, 'b'), 'the other file is untouched');
    assert.deepEqual(git(env.repo, 'show', '--name-only', '--format=', 'HEAD').split('\n'), ['src/a.ts']);
    assert.equal(git(env.repo, 'status', '--porcelain'), '');

    const added = await acceptFileChange(client, env.repo, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/new.ts', ticketId: 'T1' });
    assert.equal(added.kind, 'committed');
    assert.equal(readFileSync(join(env.repo, 'src/new.ts'), 'utf8'), 'new\n');
  });

  it('refuses, naming the file, when the user has uncommitted changes to it — and writes nothing', async () => {
    env.branch('flotilla/B/T1', { 'src/a.ts': 'ticket version\n' });
    writeFileSync(join(env.repo, 'src/a.ts'), 'my local edit\n');
    const head = git(env.repo, 'rev-parse', 'HEAD');
    await assert.rejects(acceptFileChange(client, env.repo, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/a.ts', ticketId: 'T1' }), (error: unknown) => {
      assert.ok(error instanceof LocalFileChangesError);
      assert.equal(error.file, 'src/a.ts');
      assert.match(error.message, /src\/a\.ts/);
      return true;
    });
    assert.equal(readFileSync(join(env.repo, 'src/a.ts'), 'utf8'), 'my local edit\n');
    assert.equal(git(env.repo, 'rev-parse', 'HEAD'), head);
  });

  it('merges a file the current branch also changed when the changes do not overlap, and refuses when they do', async () => {
    env.branch('flotilla/B/T1', { 'src/a.ts': LINES(20, 'a').replace('a 18\n', 'ticket 18\n') });
    env.branch('flotilla/B/T2', { 'src/a.ts': LINES(20, 'a').replace('a 2\n', 'ticket 2\n') });
    writeFileSync(join(env.repo, 'src/a.ts'), LINES(20, 'a').replace('a 2\n', 'mine 2\n'));
    git(env.repo, 'commit', '-qam', 'my change');

    const clean = await acceptFileChange(client, env.repo, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/a.ts', ticketId: 'T1' });
    assert.equal(clean.kind, 'committed');
    const text = readFileSync(join(env.repo, 'src/a.ts'), 'utf8');
    assert.match(text, /^mine 2$/m);
    assert.match(text, /^ticket 18$/m);

    const head = git(env.repo, 'rev-parse', 'HEAD');
    await assert.rejects(acceptFileChange(client, env.repo, { baseCommit: env.base, branch: 'flotilla/B/T2', path: 'src/a.ts', ticketId: 'T2' }), FileMergeConflictError);
    assert.equal(git(env.repo, 'rev-parse', 'HEAD'), head);
    assert.equal(git(env.repo, 'status', '--porcelain'), '');
  });

  it('rejects one file in the ticket worktree with a commit that restores the base version', async () => {
    const wt = env.branch('flotilla/B/T1', { 'src/a.ts': 'ticket a\n', 'src/b.ts': 'ticket b\n', 'src/new.ts': 'new\n' });
    const commit = await rejectFileChange(client, wt, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/a.ts', ticketId: 'T1' });
    assert.ok(commit);
    assert.equal(git(env.repo, 'rev-parse', 'flotilla/B/T1'), commit);
    const changed = git(env.repo, 'diff', '--name-only', env.base, 'flotilla/B/T1').split('\n');
    assert.deepEqual(changed, ['src/b.ts', 'src/new.ts']);

    await rejectFileChange(client, wt, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/new.ts', ticketId: 'T1' });
    assert.deepEqual(git(env.repo, 'diff', '--name-only', env.base, 'flotilla/B/T1').split('\n'), ['src/b.ts'], 'an added file is removed');
    assert.equal(await rejectFileChange(client, wt, { baseCommit: env.base, branch: 'flotilla/B/T1', path: 'src/a.ts', ticketId: 'T1' }), null, 'nothing left to reject');
  });
});
