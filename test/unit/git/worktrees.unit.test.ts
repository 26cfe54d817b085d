import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ticketBranchName } from '../../../src/core/git/branchNames';
import { commitAll } from '../../../src/core/git/commit';
import { diffNameStatus, diffNumstat, diffUnified } from '../../../src/core/git/diff';
import { GitClient } from '../../../src/core/git/gitClient';
import { GitCancelledError, InvalidBranchNameError } from '../../../src/core/git/gitErrors';
import { resolveBaseCommit } from '../../../src/core/git/repository';
import { addTicketWorktree, cleanupStaleWorktrees, listWorktrees, removeTicketWorktree } from '../../../src/core/git/worktrees';
import { runProcess, type ProcessRunner } from '../../../src/core/process/processRunner';
import { createTempRepo, tempFolder, type TempRepo } from './tempRepo';

describe('ticket worktrees', () => {
  const git = new GitClient();
  let repo: TempRepo;
  let storage: string;
  beforeEach(() => {
    repo = createTempRepo();
    storage = tempFolder('storage');
  });
  afterEach(() => {
    repo.dispose();
    rmSync(storage, { recursive: true, force: true });
  });

  async function addWorktree(ticketId = 'T1') {
    const base = await resolveBaseCommit(git, repo.root);
    return addTicketWorktree(git, { repoRoot: base.root, storageDir: storage, batchId: 'b1', ticketId, baseCommit: base.commit, uncommitted: base.uncommitted });
  }

  it('creates flotilla/<batch>/<ticket> under workspace storage without the user\'s uncommitted changes', async () => {
    repo.write('src/app.ts', 'export const a = 999; // not committed\n');
    repo.write('scratch.txt', 'untracked\n');
    const worktree = await addWorktree();
    assert.equal(worktree.branch, 'flotilla/b1/T1');
    assert.equal(worktree.path, join(storage, 'worktrees', 'b1', 'T1'));
    assert.equal(worktree.resumed, false);
    assert.equal(readFileSync(join(worktree.path, 'src/app.ts'), 'utf8'), 'export const a = 1;\n');
    assert.equal(existsSync(join(worktree.path, 'scratch.txt')), false);
    assert.deepEqual(worktree.leftBehind.map((e) => e.path).sort(), ['scratch.txt', 'src/app.ts']);
    // The user's tree is untouched.
    assert.equal(readFileSync(join(repo.root, 'src/app.ts'), 'utf8'), 'export const a = 999; // not committed\n');
  });

  it('commits in the worktree and diffs it against the base (name-status, numstat, unified)', async () => {
    const worktree = await addWorktree();
    writeFileSync(join(worktree.path, 'src/app.ts'), 'export const a = 2;\nexport const b = 3;\n');
    writeFileSync(join(worktree.path, 'src/new.ts'), 'export {};\n');
    rmSync(join(worktree.path, 'README.md'));
    writeFileSync(join(worktree.path, 'logo.bin'), Buffer.from([0, 1, 2, 0, 255]));
    const commit = await commitAll(git, worktree.path, 'T1: change app', { name: 'Flotilla', email: 'flotilla@example.invalid' });
    assert.ok(commit);
    assert.equal(repo.git('log', '-1', '--format=%an|%s', 'flotilla/b1/T1'), 'Flotilla|T1: change app');
    assert.equal(await commitAll(git, worktree.path, 'nothing'), null);

    const range = { from: worktree.baseCommit, to: commit };
    const names = await diffNameStatus(git, worktree.path, range);
    assert.deepEqual(names.map((n) => `${n.status} ${n.path}`).sort(), ['added logo.bin', 'added src/new.ts', 'deleted README.md', 'modified src/app.ts']);
    const numstat = await diffNumstat(git, worktree.path, range);
    assert.deepEqual(numstat.find((n) => n.path === 'src/app.ts'), { path: 'src/app.ts', added: 2, deleted: 1 });
    assert.deepEqual(numstat.find((n) => n.path === 'logo.bin'), { path: 'logo.bin', added: null, deleted: null });
    const unified = await diffUnified(git, worktree.path, { ...range, paths: ['src/app.ts'] });
    assert.match(unified, /^diff --git a\/src\/app.ts b\/src\/app.ts/);
    assert.match(unified, /^\+export const b = 3;$/m);
    assert.doesNotMatch(unified, /new\.ts/);
  });

  it('reports renames with their old path', async () => {
    const worktree = await addWorktree();
    repo.git('-C', worktree.path, 'mv', 'src/app.ts', 'src/main.ts');
    const commit = await commitAll(git, worktree.path, 'rename');
    const names = await diffNameStatus(git, worktree.path, { from: worktree.baseCommit, to: commit ?? '' });
    assert.deepEqual(names, [{ status: 'renamed', path: 'src/main.ts', oldPath: 'src/app.ts', similarity: 100 }]);
    const numstat = await diffNumstat(git, worktree.path, { from: worktree.baseCommit, to: commit ?? '' });
    assert.deepEqual(numstat, [{ path: 'src/main.ts', oldPath: 'src/app.ts', added: 0, deleted: 0 }]);
  });

  it('reattaches an existing worktree or branch on resume instead of failing', async () => {
    const first = await addWorktree();
    writeFileSync(join(first.path, 'work.txt'), 'in progress\n');
    const again = await addWorktree();
    assert.equal(again.resumed, true);
    assert.equal(readFileSync(join(again.path, 'work.txt'), 'utf8'), 'in progress\n');

    await commitAll(git, first.path, 'keep');
    rmSync(first.path, { recursive: true, force: true }); // the storage folder was cleared
    const restored = await addWorktree();
    assert.equal(restored.resumed, true);
    assert.equal(readFileSync(join(restored.path, 'work.txt'), 'utf8'), 'in progress\n');
  });

  it('removes a worktree and optionally its branch', async () => {
    const worktree = await addWorktree();
    writeFileSync(join(worktree.path, 'dirty.txt'), 'uncommitted agent work\n');
    await removeTicketWorktree(git, repo.root, worktree, { deleteBranch: true });
    assert.equal(existsSync(worktree.path), false);
    assert.equal((await listWorktrees(git, repo.root)).length, 1);
    assert.equal(repo.git('branch', '--list', 'flotilla/*'), '');
  });

  it('cleans up worktrees whose folders are gone and keeps the others', async () => {
    const gone = await addWorktree('T1');
    const kept = await addWorktree('T2');
    rmSync(gone.path, { recursive: true, force: true });
    const pruned = await cleanupStaleWorktrees(git, repo.root);
    assert.deepEqual(pruned, [gone.path]);
    const remaining = (await listWorktrees(git, repo.root)).map((w) => w.branch);
    assert.deepEqual(remaining, ['main', kept.branch]);
    assert.ok(repo.git('branch', '--list', gone.branch).includes(gone.branch), 'the branch (the ticket\'s work) is kept');
  });

  it('leaves no half-made worktree or branch when the add is cancelled', async () => {
    const base = await resolveBaseCommit(git, repo.root);
    // The worst case for consistency: git finished creating the folder, record and branch, but the
    // cancel arrived before we saw the result.
    const runner: ProcessRunner = async (file, args, options) => {
      const result = await runProcess(file, args, options);
      return args.join(' ').includes(' worktree add ') ? { ...result, exitCode: null, aborted: true } : result;
    };
    const cancelling = new GitClient({ runner });
    await assert.rejects(
      addTicketWorktree(cancelling, { repoRoot: base.root, storageDir: storage, batchId: 'b1', ticketId: 'T9', baseCommit: base.commit }),
      GitCancelledError,
    );
    assert.equal((await listWorktrees(git, repo.root)).length, 1);
    assert.equal(repo.git('branch', '--list', 'flotilla/*'), '');
    assert.equal(existsSync(join(storage, 'worktrees', 'b1', 'T9')), false);
    // And a retry starts clean.
    const retried = await addTicketWorktree(git, { repoRoot: base.root, storageDir: storage, batchId: 'b1', ticketId: 'T9', baseCommit: base.commit });
    assert.equal(retried.resumed, false);
  });

  it('does not start git at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(resolveBaseCommit(git, repo.root, { signal: controller.signal }), GitCancelledError);
  });

  it('refuses ids that git cannot use in a branch name', () => {
    assert.equal(ticketBranchName('2024-06-01.1', 'R_03'), 'flotilla/2024-06-01.1/R_03');
    for (const bad of ['a..b', '.hidden', 'x.lock', 'sp ace', 'a/b', '']) {
      assert.throws(() => ticketBranchName('b1', bad), InvalidBranchNameError, bad);
    }
  });
});
