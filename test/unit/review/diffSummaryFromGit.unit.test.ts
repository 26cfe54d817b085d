import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { GitClient } from '../../../src/core/git/gitClient';
import { diffSummaryFromGit } from '../../../src/core/review/diffSummaryFromGit';
import { DiffIndex, placeFindings } from '../../../src/core/review/findings';
import { capDiff } from '../../../src/core/review/reviewPrompts';
import { scoreRisk } from '../../../src/core/review/riskScore';
import { createTempRepo, type TempRepo } from '../git/tempRepo';

describe('diffSummaryFromGit', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = createTempRepo();
  });
  afterEach(() => repo.dispose());

  it('builds the file list, line counts and unified text from a real repository', async () => {
    const base = repo.git('rev-parse', 'HEAD');
    repo.write('src/app.ts', 'export const a = 1;\nexport const b = 2;\n');
    repo.write('db/migrations/0001_drop.sql', 'DROP TABLE legacy;\n');
    rmSync(join(repo.root, 'README.md'));
    const head = repo.commitAll('ticket work');

    const diff = await diffSummaryFromGit(new GitClient(), repo.root, { from: base, to: head });
    assert.deepEqual(
      [...diff.files].sort((x, y) => (x.path < y.path ? -1 : 1)),
      [
        { path: 'README.md', status: 'deleted', added: 0, deleted: 1 },
        { path: 'db/migrations/0001_drop.sql', status: 'added', added: 1, deleted: 0 },
        { path: 'src/app.ts', status: 'modified', added: 1, deleted: 0 },
      ],
    );
    assert.equal(scoreRisk(diff).level, 'comprehensive');
    const [placed] = placeFindings([{ file: 'src/app.ts', line: 2, severity: 'info', message: 'm' }], new DiffIndex(diff), 'T1');
    assert.equal(placed?.inDiff, true);
  });
});

describe('capDiff', () => {
  it('cuts a long diff at a line break and says how much is missing', () => {
    const diff = 'line one\nline two\nline three\n';
    assert.equal(capDiff(diff, 100), diff);
    const cut = capDiff(diff, 12);
    assert.ok(cut.startsWith('line one\n[… diff truncated: '));
    assert.match(cut, /truncated: 21 more characters/);
  });
});
