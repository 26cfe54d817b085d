import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BudgetExceededError } from '../../../src/core/store/budget';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { assertRefused } from './hostileHarness';

/** Issue 11 items 5 (second half) and 10: malformed amounts and URLs are bad input, nothing is written. */
describe('hostile flags: --api-base and --budget-usd', function () {
  this.timeout(30_000);
  const saved = process.env.ANTHROPIC_API_KEY;
  let repo: string;
  before(() => {
    repo = makeDemoRepo();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = saved;
  });

  it('--api-base that is not an http(s) URL: exit 2 with one line, no ledger, no batch', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-api03-notaurl-test';
    for (const base of ['notaurl', 'ftp://example.test/', 'http://', 'https://user:secret@example.test', 'localhost:8080']) {
      const storage = join(tempDir('api-base'), 'storage');
      const r = await cli('run', '--repo', repo, '--tickets', 'D1', '--api-base', base, '--storage', storage);
      assertRefused(r, 2, /^flotilla run: --api-base .*: .*http/);
      assert.ok(!existsSync(storage), `${base}: nothing was written`);
    }
  });

  it('--api-base with credentials (http://user:pw@127.0.0.1:PORT): refused with exit 2, the URL shown without them, the password nowhere', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-api03-credentials-in-url-test';
    const password = 'pw-9f8e7d6c5b';
    for (const base of [`http://user:${password}@127.0.0.1:9`, `https://${password}@127.0.0.1:9/v1`, `http://us er:${password}@127.0.0.1:9`]) {
      const storage = join(tempDir('api-base-creds'), 'storage');
      // request-changes looks for its ticket first: with none in storage it says so, still without the password.
      for (const args of [['run', '--repo', repo, '--tickets', 'D1'], ['resume'], ['request-changes', 'D1', '--message', 'again']]) {
        const r = await cli(...args, '--api-base', base, '--storage', storage);
        const reason = args[0] === 'request-changes' ? /^flotilla request-changes: / : new RegExp(`^flotilla ${args[0]}: --api-base (http|https)://127\\.0\\.0\\.1:9(/v1)?: (it contains credentials|not a URL)`);
        assertRefused(r, 2, reason);
        assert.ok(![...r.out, ...r.err].join('\n').includes(password), `${base}: the password was shown`);
      }
      assert.ok(!existsSync(storage), `${base}: nothing was written`);
    }
  });

  it('--budget-usd takes a plain decimal amount only: 0x10, 1e1, Infinity, -1 and 0 are refused', async () => {
    for (const amount of ['0x10', '1e1', 'Infinity', '-1', '0', '', ' 5', '5$', '0b1']) {
      const storage = join(tempDir('budget'), 'storage');
      const r = await cli('run', '--repo', repo, '--tickets', 'D1', '--simulate', `--budget-usd=${amount}`, '--storage', storage);
      assertRefused(r, 2, /^flotilla run: --budget-usd .*: a positive amount in USD, written as a decimal/);
      assert.ok(!existsSync(storage), `${amount}: nothing was written`);
    }
    for (const [amount, shown] of [['16', '$16.00'], ['0.50', '$0.50'], ['.75', '$0.75']] as const) {
      const r = await cli('plan', '--repo', repo, '--tickets', 'D1', '--budget-usd', amount);
      assert.equal(r.code, 0, r.err.join('\n'));
      assert.ok(r.out.includes(`budget: ${shown} for this batch`), r.out.join('\n'));
    }
  });

  it('the budget-stop message prints the limit as given, not rounded to cents', () => {
    const error = new BudgetExceededError('batch', 0.0041, 0, 0.006, 0.0032);
    assert.match(error.message, /^The batch budget of \$0\.006 would be crossed/);
    assert.match(new BudgetExceededError('monthly', 1, 0, 25, 0.5).message, /budget of \$25\.00 /);
  });
});
