import assert from 'node:assert/strict';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffNameStatus, diffNumstat, diffUnified, diffWithCounts, parseDiffWithCounts, type DiffRange } from '../../../src/core/git/diff';
import { GitClient } from '../../../src/core/git/gitClient';
import { createTempRepo, type TempRepo } from './tempRepo';

describe('diffWithCounts', () => {
  let repo: TempRepo;
  const git = new GitClient();
  beforeEach(() => {
    repo = createTempRepo();
  });
  afterEach(() => repo.dispose());

  /** The one-process read must give exactly what the three separate diffs give. */
  async function assertSameAsSeparate(range: DiffRange): Promise<void> {
    const combined = await diffWithCounts(git, repo.root, range);
    assert.deepEqual(combined.statuses, await diffNameStatus(git, repo.root, range));
    assert.deepEqual(combined.counts, await diffNumstat(git, repo.root, range));
    assert.equal(combined.unified, await diffUnified(git, repo.root, range));
  }

  it('matches name-status, numstat and the unified diff on renames, binaries, deletions, mode changes and odd names', async () => {
    repo.write('moved/long.txt', Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n') + '\n');
    writeFileSync(join(repo.root, 'image.bin'), Buffer.from([0, 1, 2, 3]));
    const base = repo.commitAll('base');
    repo.git('mv', 'moved/long.txt', 'moved/renamed.txt');
    repo.write('moved/renamed.txt', Array.from({ length: 41 }, (_, i) => `line ${i}`).join('\n') + '\n');
    writeFileSync(join(repo.root, 'image.bin'), Buffer.from([0, 9, 2, 3]));
    rmSync(join(repo.root, 'README.md'));
    chmodSync(join(repo.root, 'src/app.ts'), 0o755);
    repo.write('src/app.ts', 'export const a = 2;\n');
    repo.write('tab\there.txt', 'x\n');
    repo.write('new\nline.txt', 'y\n');
    repo.write('ünïcode "quoted".txt', 'z\n');
    repo.write(':colon-first.txt', 'c\n');
    const head = repo.commitAll('ticket work');

    await assertSameAsSeparate({ from: base, to: head });
    await assertSameAsSeparate({ from: base, to: head, paths: ['moved', 'src'] });
    const combined = await diffWithCounts(git, repo.root, { from: base, to: head });
    const renamed = combined.statuses.find((s) => s.status === 'renamed');
    assert.equal(renamed?.path, 'moved/renamed.txt');
    assert.equal(renamed?.oldPath, 'moved/long.txt');
    assert.ok(combined.counts.some((c) => c.path === 'image.bin' && c.added === null));
    assert.ok(combined.statuses.some((s) => s.path === ':colon-first.txt' && s.status === 'added'));
  });

  it('gives empty lists and text when nothing changed', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    await assertSameAsSeparate({ from: head, to: head });
    assert.deepEqual(parseDiffWithCounts(''), { statuses: [], counts: [], unified: '' });
  });
});
