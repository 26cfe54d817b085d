import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storedBatchSchema } from '../../../src/core/store/batchState';
import { readGitHub } from '../../../src/core/store/batchExtra';
import { cli } from '../cli/cliHarness';
import { FAKE_TOKEN, filesContaining, gitHubCliWorld, type GitHubCliWorld } from './githubCliHarness';

describe('CLI: tickets from GitHub issues (against the fake GitHub)', function () {
  this.timeout(120_000);
  let world: GitHubCliWorld;
  beforeEach(async () => (world = await gitHubCliWorld()));
  afterEach(async () => world.close());

  const github = () => ['--source', 'github', '--github-repo', 'octo/textkit', '--storage', world.storage];

  it('tickets list shows the labelled issues with their URLs, skipping the pull request; --json gives one line each', async () => {
    const listed = await cli('tickets', 'list', '--repo', world.repo, ...github());
    assert.equal(listed.code, 0, listed.err.join('\n'));
    const text = listed.out.join('\n');
    assert.match(text, /gh-1 +Fix the spelling of "Installation" in the README/);
    assert.match(text, /gh-2 +Trim leading and trailing dashes in slugify/);
    assert.ok(text.includes(`${world.fake.web}/issues/2`));
    assert.ok(!text.includes('gh-3') && !text.includes('gh-4'));
    assert.match(text, /2 tickets from GitHub octo\/textkit/);
    const json = await cli('tickets', 'list', '--repo', world.repo, ...github(), '--json', '--query', 'label:bug');
    assert.deepEqual(json.out.map((l) => JSON.parse(l) as { id: string; url: string; priority: number }).map((t) => [t.id, t.priority, t.url]), [['gh-2', 2, `${world.fake.web}/issues/2`]]);
  });

  it('bad input and GitHub failures are one clear line with exit 2, never a stack trace', async () => {
    const expect = async (args: string[], pattern: RegExp) => {
      const result = await cli('tickets', 'list', '--repo', world.repo, ...args);
      assert.equal(result.code, 2, result.err.join('\n'));
      assert.equal(result.err.length, 1, result.err.join('\n'));
      assert.match(result.err[0] ?? '', pattern);
      assert.ok(!(result.err[0] ?? '').includes(FAKE_TOKEN));
    };
    await expect(['--query', 'label:flotilla'], /--query applies to GitHub issues: add --source github/);
    await expect([...github(), '--query', 'fix it'], /"fix": the issue list cannot search for words; filter with qualifiers; use label:NAME/);
    await expect(['--source', 'gitlab'], /--source gitlab: use files, github, both/);
    await expect(['--source', 'github', '--storage', world.storage], /origin \(ssh:\/\/fake-origin.*textkit\.git\) is not a repository on 127\.0\.0\.1:\d+; .*--github-repo OWNER\/NAME/);
    await expect([...github().slice(0, 2), '--github-repo', 'octo/missing', '--storage', world.storage], /GitHub answered 404 .*check the repository name/);
    world.fake.fail({ path: /\/issues$/, status: 403, message: 'API rate limit exceeded for user ID 1.', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 900) } });
    await expect(github(), /GitHub's API rate limit is used up; nothing was changed \(it resets at .*\); try again after \d\d:\d\d:\d\d UTC/);
    delete process.env.GITHUB_TOKEN;
    await expect(github(), /no GitHub token in the environment.*; set GITHUB_TOKEN or GH_TOKEN/);
    process.env.GH_TOKEN = FAKE_TOKEN;
    world.fake.expireToken();
    await expect(github(), /GitHub refused the token \(401 Bad credentials\): it is expired, revoked or wrong; set GITHUB_TOKEN/);
  });

  it('a repository that is not on GitHub still lists its ticket files with --source both, and says why the issues are missing', async () => {
    const both = await cli('tickets', 'list', '--repo', world.repo, '--source', 'both', '--storage', world.storage);
    assert.equal(both.code, 0, both.err.join('\n'));
    assert.match(both.err.join('\n'), /warning: GitHub issues left out: origin .* is not a repository on/);
    assert.match(both.out.join('\n'), /6 tickets from ticket files/);
  });

  it('plan and run take GitHub issues: the batch records the repository and API address (never the token), and the token is in no stored file, output or child environment', async () => {
    const plan = await cli('plan', '--repo', world.repo, ...github(), '--all', '--json');
    assert.equal(plan.code, 0, plan.err.join('\n'));
    assert.deepEqual((JSON.parse(plan.out[0] ?? '{}') as { tickets: { id: string }[] }).tickets.map((t) => t.id).sort(), ['gh-1', 'gh-2']);
    const run = await cli('run', '--repo', world.repo, ...github(), '--tickets', 'gh-1,gh-2', '--simulate', '--json');
    assert.equal(run.code, 0, run.err.join('\n'));
    const [batchId] = readdirSync(join(world.storage, 'batches'));
    const state = storedBatchSchema.parse(JSON.parse(readFileSync(join(world.storage, 'batches', batchId ?? '', 'state.json'), 'utf8')));
    assert.deepEqual(state.ticketIds, ['gh-1', 'gh-2']);
    assert.ok(Object.values(state.tickets).every((t) => t.status === 'done'), JSON.stringify(state.tickets));
    const recorded = readGitHub(state);
    assert.equal(recorded?.repository, 'octo/textkit');
    assert.equal(recorded?.apiUrl, world.fake.url);
    assert.equal(recorded?.tickets.get('gh-2')?.issue.url, `${world.fake.web}/issues/2`);
    // Nothing was written to GitHub: running a batch only reads.
    assert.deepEqual(world.fake.writes, []);
    assert.deepEqual(filesContaining(world.storage, FAKE_TOKEN), []);
    assert.ok(![...plan.out, ...plan.err, ...run.out, ...run.err].some((l) => l.includes(FAKE_TOKEN)));
    const dumps = readdirSync(world.dumps);
    assert.ok(dumps.length >= 2, `git's filter ran for the workers' commits: ${dumps.join(', ')}`);
    assert.deepEqual(filesContaining(world.dumps, FAKE_TOKEN), [], 'no child of git saw the token');
    assert.ok(dumps.every((d) => !/^GITHUB_TOKEN=|^GH_TOKEN=/m.test(readFileSync(join(world.dumps, d), 'utf8'))));
  });
});
