import assert from 'node:assert/strict';
import { realpathSync, rmSync } from 'node:fs';
import { GitClient } from '../../../src/core/git/gitClient';
import { DetachedHeadError, GitCommandError, GitMissingError, NotAGitRepositoryError, UnbornHeadError } from '../../../src/core/git/gitErrors';
import { headState, resolveBaseCommit, uncommittedNotice } from '../../../src/core/git/repository';
import { parseStatusPorcelain } from '../../../src/core/git/statusEntries';
import { createTempRepo, tempFolder, type TempRepo } from './tempRepo';

describe('git repository state', () => {
  const git = new GitClient();
  let repo: TempRepo;
  afterEach(() => repo?.dispose());

  it('resolves the base commit of the current branch from a sub-folder', async () => {
    repo = createTempRepo();
    const base = await resolveBaseCommit(git, `${repo.root}/src`);
    assert.equal(base.root, realpathSync(repo.root));
    assert.equal(base.branch, 'main');
    assert.equal(base.commit, repo.git('rev-parse', 'HEAD'));
    assert.deepEqual(base.uncommitted, []);
  });

  it('reports uncommitted and untracked changes so the user can be told they stay behind', async () => {
    repo = createTempRepo();
    repo.write('src/app.ts', 'export const a = 2;\n');
    repo.write('notes/new file.txt', 'hello\n');
    repo.git('mv', 'README.md', 'READ.md');
    const base = await resolveBaseCommit(git, repo.root);
    const byPath = new Map(base.uncommitted.map((e) => [e.path, e]));
    assert.equal(byPath.get('src/app.ts')?.kind, 'modified');
    assert.equal(byPath.get('notes/new file.txt')?.kind, 'untracked');
    assert.equal(byPath.get('READ.md')?.kind, 'renamed');
    assert.equal(byPath.get('READ.md')?.originalPath, 'README.md');
    assert.match(uncommittedNotice(base.uncommitted) ?? '', /3 uncommitted change\(s\).*will not see them/);
    assert.equal(uncommittedNotice([]), null);
  });

  it('throws NotAGitRepositoryError outside a repository', async () => {
    const folder = tempFolder('plain');
    try {
      await assert.rejects(resolveBaseCommit(git, folder), (e: unknown) => e instanceof NotAGitRepositoryError && e.message.includes('git init'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('throws GitMissingError when git cannot be found', async () => {
    repo = createTempRepo();
    const missing = new GitClient({ gitPath: 'flotilla-no-such-git' });
    await assert.rejects(resolveBaseCommit(missing, repo.root), GitMissingError);
  });

  it('throws DetachedHeadError and UnbornHeadError', async () => {
    repo = createTempRepo();
    repo.git('checkout', '--quiet', '--detach');
    await assert.rejects(resolveBaseCommit(git, repo.root), DetachedHeadError);
    assert.equal((await headState(git, repo.root)).kind, 'detached');
    repo.dispose();
    repo = createTempRepo({ commit: false });
    await assert.rejects(resolveBaseCommit(git, repo.root), (e: unknown) => e instanceof UnbornHeadError && e.branch === 'main');
  });

  it('carries the command, exit code and stderr tail in GitCommandError', async () => {
    repo = createTempRepo();
    const error = await git.run(repo.root, ['rev-parse', '--verify', 'no-such-ref']).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof GitCommandError);
    assert.deepEqual(error.args, ['rev-parse', '--verify', 'no-such-ref']);
    assert.equal(error.exitCode, 128);
    assert.match(error.stderrTail, /Needed a single revision/);
  });

  it('parses porcelain status with renames and conflicts', () => {
    const entries = parseStatusPorcelain('R  new.ts\0old.ts\0UU both.ts\0?? x y.txt\0 D gone.ts\0');
    assert.deepEqual(entries, [
      { path: 'new.ts', originalPath: 'old.ts', code: 'R ', kind: 'renamed' },
      { path: 'both.ts', code: 'UU', kind: 'conflicted' },
      { path: 'x y.txt', code: '??', kind: 'untracked' },
      { path: 'gone.ts', code: ' D', kind: 'deleted' },
    ]);
  });
});
