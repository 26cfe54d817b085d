import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeDemoRepo, readLedger, tempDir } from '../cli/cliHarness';
import { assertRefused } from './hostileHarness';

/**
 * Issue 20 item 6: a title with NUL validated, was paid for, then failed at the merge commit (git
 * refuses NUL in a commit message). Now validate refuses it with file:line and the field, and run
 * refuses the ticket before any model call.
 */
describe('hostile ticket titles: control characters are refused before anything is paid', function () {
  this.timeout(60_000);
  const TITLES: readonly (readonly [string, RegExp])[] = [
    ['"Fix\\0 the spelling of Installation in the README"', /NUL \(U\+0000\) at character 4/],
    ['"Fix the \\e[2Jspelling of Installation"', /ESC \(U\+001B\) at character 9/],
    ['"Fix the spelling\\rof Installation"', /a carriage return \(CR\)/],
  ];

  for (const [title, reason] of TITLES) {
    it(`tickets validate exits 2 naming file:line and the field, and run pays nothing: title ${title.slice(0, 24)}`, async () => {
      const repo = makeDemoRepo();
      const file = join(repo, '.flotilla/tickets/D1.md');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, `title: ${title}`));

      const validate = await cli('tickets', 'validate', '--repo', repo);
      assertRefused(validate, 2, /D1\.md:3:\d+: error: title: must be one line of printable text/);
      assert.match(validate.err.find((l) => l.includes('D1.md:3:')) ?? '', reason);

      const storage = tempDir('nul-title');
      const run = await cli('run', '--repo', repo, '--tickets', 'D1,D3', '--simulate', '--storage', storage);
      assertRefused(run, 2, /unknown ticket id D1/);
      assert.ok(run.err.some((l) => /D1\.md:3:\d+: error: title: /.test(l)), run.err.join('\n'));
      assert.deepEqual(readLedger(storage), [], 'no model call was made');
    });
  }
});
