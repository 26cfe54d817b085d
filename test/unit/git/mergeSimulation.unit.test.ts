import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll } from '../../../src/core/git/commit';
import { GitClient } from '../../../src/core/git/gitClient';
import { DetachedHeadError, LocalChangesBlockMergeError, MergeConflictError } from '../../../src/core/git/gitErrors';
import { mergeTicketBranch, parseMergeTree, simulateMerge } from '../../../src/core/git/mergeSimulation';
import { resolveBaseCommit } from '../../../src/core/git/repository';
import { addTicketWorktree, type TicketWorktree } from '../../../src/core/git/worktrees';
import { createTempRepo, tempFolder, type TempRepo } from './tempRepo';

describe('merge simulation and merging a ticket branch', () => {
  const git = new GitClient();
  let repo: TempRepo;
  let storage: string;
  beforeEach(() => {
    repo = createTempRepo();
    repo.write('src/shared.ts', 'line 1\nline 2\nline 3\n');
    repo.commitAll('shared file');
    storage = tempFolder('storage');
  });
  afterEach(() => {
    repo.dispose();
    rmSync(storage, { recursive: true, force: true });
  });

  async function ticketWith(ticketId: string, files: Record<string, string | null>): Promise<TicketWorktree> {
    const base = await resolveBaseCommit(git, repo.root);
    const worktree = await addTicketWorktree(git, { repoRoot: base.root, storageDir: storage, batchId: 'b1', ticketId, baseCommit: base.commit });
    for (const [path, content] of Object.entries(files)) {
      if (content === null) rmSync(join(worktree.path, path));
      else writeFileSync(join(worktree.path, path), content);
    }
    await commitAll(git, worktree.path, `${ticketId} work`);
    return worktree;
  }

  it('simulates a clean merge without touching refs, index or files', async () => {
    const ticket = await ticketWith('T1', { 'src/new.ts': 'export {};\n' });
    repo.write('README.md', '# changed on main\n');
    repo.commitAll('main moves on');
    const headBefore = repo.git('rev-parse', 'HEAD');
    const result = await simulateMerge(git, repo.root, 'main', ticket.branch);
    assert.equal(result.clean, true);
    assert.match(result.tree, /^[0-9a-f]{40}$/);
    assert.equal(repo.git('rev-parse', 'HEAD'), headBefore);
    assert.equal(repo.git('status', '--porcelain'), '');
  });

  it('names the conflicted files and their kind', async () => {
    const ticket = await ticketWith('T1', { 'src/shared.ts': 'line 1\nticket\nline 3\n', 'README.md': null });
    repo.write('src/shared.ts', 'line 1\nmain\nline 3\n');
    repo.write('README.md', '# edited on main\n');
    repo.commitAll('main edits the same lines');
    const result = await simulateMerge(git, repo.root, 'main', ticket.branch);
    assert.equal(result.clean, false);
    if (result.clean) return;
    const byPath = new Map(result.conflicts.map((c) => [c.path, c.kinds]));
    assert.deepEqual([...byPath.keys()].sort(), ['README.md', 'src/shared.ts']);
    assert.deepEqual(byPath.get('src/shared.ts'), ['CONFLICT (contents)']);
    assert.deepEqual(byPath.get('README.md'), ['CONFLICT (modify/delete)']);
  });

  it('merges a clean ticket branch into the current branch with a merge commit', async () => {
    const ticket = await ticketWith('T1', { 'src/new.ts': 'export const n = 1;\n' });
    repo.write('README.md', '# changed on main\n');
    const mainTip = repo.commitAll('main moves on');
    const outcome = await mergeTicketBranch(git, repo.root, ticket.branch, 'Merge T1');
    assert.equal(outcome.kind, 'merged');
    if (outcome.kind !== 'merged') return;
    assert.equal(outcome.into, 'main');
    assert.equal(repo.git('rev-parse', 'HEAD'), outcome.commit);
    assert.equal(repo.git('log', '-1', '--format=%P'), `${mainTip} ${repo.git('rev-parse', ticket.branch)}`);
    assert.equal(repo.git('log', '-1', '--format=%s'), 'Merge T1');
    assert.equal(readFileSync(join(repo.root, 'src/new.ts'), 'utf8'), 'export const n = 1;\n');
    assert.equal(repo.git('status', '--porcelain'), '');
    assert.deepEqual(await mergeTicketBranch(git, repo.root, ticket.branch, 'again'), { kind: 'alreadyMerged', into: 'main', branchTip: repo.git('rev-parse', ticket.branch) });
  });

  it('refuses a conflicting merge with MergeConflictError and changes nothing', async () => {
    const ticket = await ticketWith('T1', { 'src/shared.ts': 'line 1\nticket\nline 3\n' });
    repo.write('src/shared.ts', 'line 1\nmain\nline 3\n');
    const before = repo.commitAll('main edits the same line');
    repo.write('wip.txt', 'the user is working\n');
    await assert.rejects(mergeTicketBranch(git, repo.root, ticket.branch, 'Merge T1'), (e: unknown) => e instanceof MergeConflictError && e.files.join() === 'src/shared.ts');
    assert.equal(repo.git('rev-parse', 'HEAD'), before);
    assert.equal(repo.git('status', '--porcelain'), '?? wip.txt');
    assert.equal(readFileSync(join(repo.root, 'src/shared.ts'), 'utf8'), 'line 1\nmain\nline 3\n');
  });

  it('never overwrites the user\'s uncommitted work, and keeps unrelated edits through a merge', async () => {
    const ticket = await ticketWith('T1', { 'src/shared.ts': 'line 1\nticket\nline 3\n' });
    repo.write('src/shared.ts', 'line 1\nuser edit not committed\nline 3\n');
    const head = repo.git('rev-parse', 'HEAD');
    await assert.rejects(mergeTicketBranch(git, repo.root, ticket.branch, 'Merge T1'), (e: unknown) => e instanceof LocalChangesBlockMergeError && e.files.join() === 'src/shared.ts');
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    assert.equal(readFileSync(join(repo.root, 'src/shared.ts'), 'utf8'), 'line 1\nuser edit not committed\nline 3\n');

    // An untracked file where the ticket adds one is the user's work too.
    const other = await ticketWith('T2', { 'notes.md': 'from the ticket\n' });
    repo.write('notes.md', 'the user\'s own notes\n');
    await assert.rejects(mergeTicketBranch(git, repo.root, other.branch, 'Merge T2'), LocalChangesBlockMergeError);
    assert.equal(readFileSync(join(repo.root, 'notes.md'), 'utf8'), 'the user\'s own notes\n');

    // Edits to files the merge does not touch survive it.
    rmSync(join(repo.root, 'notes.md'));
    const third = await ticketWith('T3', { 'src/app.ts': 'export const a = 3;\n' });
    const outcome = await mergeTicketBranch(git, repo.root, third.branch, 'Merge T3');
    assert.equal(outcome.kind, 'merged');
    assert.equal(readFileSync(join(repo.root, 'src/shared.ts'), 'utf8'), 'line 1\nuser edit not committed\nline 3\n');
    assert.equal(readFileSync(join(repo.root, 'src/app.ts'), 'utf8'), 'export const a = 3;\n');
  });

  it('refuses to merge into a detached HEAD', async () => {
    const ticket = await ticketWith('T1', { 'src/new.ts': 'x\n' });
    repo.git('checkout', '--quiet', '--detach');
    await assert.rejects(mergeTicketBranch(git, repo.root, ticket.branch, 'Merge'), DetachedHeadError);
  });

  it('parses merge-tree output with several messages per file', () => {
    const tree = 'a'.repeat(40);
    const output = [tree, 'x.ts', '', '1', 'x.ts', 'Auto-merging', 'Auto-merging x.ts\n', '1', 'x.ts', 'CONFLICT (contents)', 'Merge conflict in x.ts\n', ''].join('\0');
    assert.deepEqual(parseMergeTree(output, false), { clean: false, tree, conflicts: [{ path: 'x.ts', kinds: ['CONFLICT (contents)'] }] });
    assert.deepEqual(parseMergeTree(`${tree}\0`, true), { clean: true, tree });
  });
});
