import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeGitRepo, tempDir, type CliResult } from './cliHarness';

const ticketFile = (id: string, extra = '') => `---\nid: ${id}\ntitle: Update the ${id} notes\nfiles: [notes/${id}.txt]\n${extra}---\nThe notes of ${id} should say that it is done.\n`;

/** Valid tickets, except that M asks for a model nothing knows. */
const REPO_FILES = {
  'README.md': '# demo\n',
  '.flotilla/tickets/A.md': ticketFile('A'),
  '.flotilla/tickets/M.md': ticketFile('M', 'model: gpt-9-turbo\n'),
};
/** B and C depend on each other (the loader reports each at its dependsOn line). */
const CYCLE_FILES = {
  'README.md': '# demo\n',
  '.flotilla/tickets/A.md': ticketFile('A'),
  '.flotilla/tickets/B.md': ticketFile('B', 'dependsOn: [C]\n'),
  '.flotilla/tickets/C.md': ticketFile('C', 'dependsOn: [B]\n'),
};

describe('flotilla run / plan: bad input is refused with one line and nothing written', function () {
  this.timeout(20_000);
  let repo: string;
  let cycleRepo: string;
  let storage: string;

  before(() => {
    repo = makeGitRepo(REPO_FILES);
    cycleRepo = makeGitRepo(CYCLE_FILES);
  });
  beforeEach(() => {
    storage = join(tempDir('cli-bad'), 'storage');
  });

  /** Exactly one reason line; any other stderr line is a ticket file's `file:line:col: severity:` diagnostic. */
  const oneLine = (result: CliResult, pattern: RegExp) => {
    const reasons = result.err.filter((l) => !/^\S+\.md:\d+:\d+: (error|warning): /.test(l));
    assert.equal(reasons.length, 1, result.err.join('\n'));
    assert.doesNotMatch(reasons[0] ?? '', /\n/);
    assert.match(reasons[0] ?? '', pattern);
    assert.deepEqual(result.out, []);
    assert.ok(!existsSync(storage), 'nothing was written to storage');
  };

  for (const command of ['run', 'plan']) {
    it(`${command}: unknown ticket ids → exit 2 naming them`, async () => {
      const r = await cli(command, '--repo', repo, '--tickets', 'A,NOPE,ZZ9', '--simulate', '--storage', storage);
      assert.equal(r.code, 2);
      oneLine(r, /unknown ticket ids NOPE, ZZ9 \(valid: .*A/);
    });

    it(`${command}: a dependency cycle → exit 2 naming the cycle`, async () => {
      const r = await cli(command, '--repo', cycleRepo, '--tickets', 'A,B', '--simulate', '--storage', storage);
      assert.equal(r.code, 2);
      oneLine(r, /dependency cycle: (B → C → B|C → B → C)/);
      // Tickets outside the cycle still run.
      assert.notEqual((await cli('plan', '--repo', cycleRepo, '--tickets', 'A', '--storage', storage)).code, 2);
    });

    it(`${command}: a model: that no tier or model id matches → exit 2`, async () => {
      const r = await cli(command, '--repo', repo, '--tickets', 'M', '--simulate', '--storage', storage);
      assert.equal(r.code, 2);
      oneLine(r, /M: model "gpt-9-turbo" is neither a tier .* nor a known model id/);
    });

    it(`${command}: a concurrency of 0 (or not a number) → exit 2`, async () => {
      for (const n of ['0', 'two', '17']) {
        const r = await cli(command, '--repo', repo, '--tickets', 'A', '--concurrency', n, '--simulate', '--storage', storage);
        assert.equal(r.code, 2, n);
        oneLine(r, new RegExp(`--concurrency ${n}: a whole number from 1 to 16`));
      }
    });
  }

  it('run: a budget below the cheapest call → exit 3 with a one-line reason, no model call', async () => {
    const r = await cli('run', '--repo', repo, '--tickets', 'A', '--budget-usd', '0.0001', '--simulate', '--storage', storage);
    assert.equal(r.code, 3);
    oneLine(r, /--budget-usd 0\.0001 is below the cheapest call this batch could make: the first worker request of A on claude-\S+ can cost up to \$\d\.\d{4}/);
  });

  it('run: a zero, negative or non-numeric budget is bad usage (exit 2)', async () => {
    for (const b of ['0', 'lots']) {
      const r = await cli('run', '--repo', repo, '--tickets', 'A', '--budget-usd', b, '--simulate', '--storage', storage);
      assert.equal(r.code, 2, b);
      oneLine(r, /--budget-usd .*: a positive amount in USD/);
    }
  });

  it('run: no selection, both selections, unknown flags and a missing repo are exit 2', async () => {
    const cases: string[][] = [
      ['run', '--repo', repo, '--simulate'],
      ['run', '--repo', repo, '--all', '--tickets', 'A'],
      ['run', '--repo', repo, '--all', '--frobnicate'],
      ['run', '--repo', join(repo, 'no-such-folder'), '--all'],
      ['run', '--repo', repo, '--all', '--tier', 'huge'],
      ['run', '--repo', repo, '--all', '--mode', 'fastest'],
    ];
    for (const argv of cases) {
      const r = await cli(...argv, '--storage', storage);
      assert.equal(r.code, 2, argv.join(' '));
      oneLine(r, /^flotilla run: /);
    }
  });
});
