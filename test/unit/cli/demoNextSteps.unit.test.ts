import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, REPO_ROOT, tempDir } from './cliHarness';

/**
 * `npm run demo` ends with the commands that finish its batch; the README's set-up section shows the
 * same ones. Both are checked here: the printed commands run as printed, and the README has each of them.
 */
describe('the demo\'s next steps, as printed and as in the README', function () {
  this.timeout(5 * 60_000);

  it('prints npx flotilla commands with the storage it used; each runs, and the README shows each one', async () => {
    const storage = join(tempDir('demo-next'), 'storage');
    const previousKey = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    const demo = await cli('demo', '--storage', storage).finally(() => {
      if (previousKey !== undefined) process.env.ANTHROPIC_API_KEY = previousKey;
    });
    assert.equal(demo.code, 0, demo.err.join('\n'));
    const steps = demo.out.filter((line) => line.startsWith('  npx flotilla '));
    assert.deepEqual(
      steps.map((line) => line.trim().split(' ').slice(2, 3)[0]),
      ['status', 'diff', 'accept', 'reject'],
      `the demo's last lines:\n${demo.out.slice(-8).join('\n')}`,
    );

    // `npx flotilla` in this folder is the package's own bin: dist/cli.js, whose entry point cli() calls.
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin.flotilla, './dist/cli.js');
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const step of steps) {
      const argv = step.trim().split(' ').slice(2);
      assert.ok(argv.includes(storage), `${step} names the demo's storage`);
      const result = await cli(...argv);
      assert.equal(result.code, 0, `${step}\n${result.err.join('\n')}`);
      const asInReadme = step.trim().replace(storage, 'STORAGE');
      assert.ok(readme.includes(asInReadme), `the README shows "${asInReadme}"`);
    }
  });
});
