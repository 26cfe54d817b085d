import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { assertRefused } from './hostileHarness';

/** Storage folders of the wrong shape (issue 11, item 2): exit 2 naming the path, never a crash, nothing lost. */
describe('hostile storage shapes: exit 2 with the path and what to do', function () {
  this.timeout(60_000);
  let repo: string;
  before(() => {
    repo = makeDemoRepo();
  });

  const run = (storage: string) => cli('run', '--repo', repo, '--tickets', 'D1', '--mode', 'direct', '--simulate', '--storage', storage);
  const fileAt = (path: string) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, 'a file, not a folder\n');
    return path;
  };

  for (const [shape, make] of [
    ['a file', () => fileAt(join(tempDir('shape'), 'storage'))],
    ['under a file', () => join(fileAt(join(tempDir('shape'), 'plain')), 'storage')],
    ['/dev/null', () => '/dev/null'],
  ] as const) {
    it(`--storage that is ${shape}: report, resume and run exit 2 naming it`, async () => {
      const storage = make();
      const escaped = storage.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      assertRefused(await cli('report', '--storage', storage), 2, new RegExp(`^flotilla report: .*${escaped}.*(not a folder|a file)`));
      assertRefused(await cli('resume', '--storage', storage, '--simulate'), 2, new RegExp(`^flotilla resume: .*${escaped}.*(not a folder|a file)`));
      assertRefused(await run(storage), 2, new RegExp(`^flotilla run: .*${escaped}.*(not a folder|a file)`));
    });
  }

  it('`ledger` that is a file: run and report exit 2 naming it; the file is untouched', async () => {
    const storage = join(tempDir('shape'), 'storage');
    const ledger = fileAt(join(storage, 'ledger'));
    assertRefused(await run(storage), 2, /^flotilla run: .*\/ledger\b.*(not a folder|a file)/);
    assert.ok(!existsSync(join(storage, 'batches')), 'no batch was started');
    assertRefused(await cli('report', '--storage', storage), 2, /^flotilla report: /);
    assert.equal(readFileSync(ledger, 'utf8'), 'a file, not a folder\n');
  });

  it('`batches` that is a file: run, report and resume exit 2 naming it', async () => {
    const storage = join(tempDir('shape'), 'storage');
    fileAt(join(storage, 'batches'));
    assertRefused(await run(storage), 2, /^flotilla run: .*\/batches\b.*(not a folder|a file)/);
    assertRefused(await cli('report', '--storage', storage), 2, /^flotilla report: .*\/batches\b.*(not a folder|a file)/);
    assertRefused(await cli('resume', '--storage', storage, '--simulate'), 2, /^flotilla resume: .*\/batches\b.*(not a folder|a file)/);
  });

  it('the month’s ledger file that is a folder: run and report exit 2 naming it; no ledger line is lost', async () => {
    const storage = join(tempDir('shape'), 'storage');
    assert.equal((await run(storage)).code, 0);
    const [month] = readdirSync(join(storage, 'ledger'));
    assert.ok(month);
    const kept = join(storage, 'kept.jsonl');
    renameSync(join(storage, 'ledger', month), kept);
    mkdirSync(join(storage, 'ledger', month));
    const lines = readFileSync(kept, 'utf8');
    const batches = readdirSync(join(storage, 'batches')).length;
    assertRefused(await run(storage), 2, new RegExp(`^flotilla run: .*ledger/${month.replace('.', '\\.')}.*folder`));
    assertRefused(await cli('report', '--storage', storage), 2, new RegExp(`^flotilla report: .*ledger/${month.replace('.', '\\.')}.*folder`));
    assert.equal(readdirSync(join(storage, 'batches')).length, batches, 'no batch was started');
    assert.equal(readFileSync(kept, 'utf8'), lines);
  });
});
