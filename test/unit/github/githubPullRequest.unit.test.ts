import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../cli/cliHarness';
import { FAKE_TOKEN, filesContaining, gitHubCliWorld, type GitHubCliWorld } from './githubCliHarness';

describe('CLI: results as pull requests (against the fake GitHub and a bare origin)', function () {
  this.timeout(120_000);
  let world: GitHubCliWorld;
  let batchId: string;
  const store = () => ['--storage', world.storage];

  beforeEach(async () => {
    world = await gitHubCliWorld();
    const run = await cli('run', '--repo', world.repo, '--source', 'github', '--github-repo', 'octo/textkit', '--tickets', 'gh-1,gh-2', '--simulate', ...store());
    assert.equal(run.code, 0, run.err.join('\n'));
    batchId = readdirSync(join(world.storage, 'batches'))[0] ?? '';
  });
  afterEach(async () => world.close());

  const sshDumps = () => readdirSync(world.dumps).filter((f) => f.startsWith('ssh.'));

  it('pr pushes the branch with the user\'s git credentials and opens one pull request with the verdict, gates, cost and Closes #n; accept of the other writes nothing to GitHub', async () => {
    const before = sshDumps();
    const pr = await cli('pr', ...store(), 'gh-2');
    assert.equal(pr.code, 0, pr.err.join('\n'));
    assert.match(pr.out[0] ?? '', new RegExp(`^opened pull request #5 for gh-2 \\(batch ${batchId}\\): ${world.fake.web}/pull/5$`));
    // The branch is on origin, pushed by git through the user's ssh set-up: the agent reached it, the token did not.
    const branch = `flotilla/${batchId}/gh-2`;
    execFileSync('git', ['rev-parse', '--verify', `refs/heads/${branch}`], { cwd: world.origin, stdio: 'ignore' });
    const pushes = sshDumps().filter((f) => !before.includes(f));
    assert.ok(pushes.length >= 1, 'the push went through the ssh command');
    for (const dump of pushes) {
      const env = readFileSync(join(world.dumps, dump), 'utf8');
      assert.match(env, /^SSH_AUTH_SOCK=/m, 'the user\'s SSH agent reaches the push');
      assert.ok(!env.includes(FAKE_TOKEN) && !/^(GITHUB_TOKEN|GH_TOKEN)=/m.test(env), 'the token does not');
    }
    assert.equal(world.fake.pulls.length, 1);
    const pull = world.fake.pulls[0];
    assert.equal(pull?.head, branch);
    assert.equal(pull?.base, 'main');
    assert.equal(pull?.title, 'Trim leading and trailing dashes in slugify');
    assert.match(pull?.body ?? '', /\n\nCloses #2\n$/);
    assert.match(pull?.body ?? '', /- \*\*Verdict\*\*: PASS — \w+ review/);
    assert.match(pull?.body ?? '', /- \*\*Gates\*\*: /);
    assert.match(pull?.body ?? '', /- \*\*Cost\*\*: \$[\d.]+ \([\d,]+ tokens; \w+/);
    assert.match(pull?.body ?? '', /> slugify now strips dashes at both ends/);

    // Asking again answers with the same pull request and writes nothing.
    const again = await cli('pr', ...store(), 'gh-2');
    assert.equal(again.code, 0, again.err.join('\n'));
    assert.match(again.out[0] ?? '', /gh-2 \(batch .*\) already has pull request #5 \(open\)/);

    const accept = await cli('accept', ...store(), 'gh-1');
    assert.equal(accept.code, 0, accept.err.join('\n'));
    assert.deepEqual(
      world.fake.writes.map((w) => `${w.method} ${w.path} ${w.status}`),
      ['POST /repos/octo/textkit/pulls 201'],
      'the fake received exactly one pull request and no other write',
    );
    assert.deepEqual(filesContaining(world.storage, FAKE_TOKEN), []);
    assert.ok(![...pr.out, ...pr.err, ...again.out, ...again.err, ...accept.out, ...accept.err].some((l) => l.includes(FAKE_TOKEN)));
  });

  it('status shows the pull request and follows it to merged when GitHub says so', async () => {
    assert.equal((await cli('pr', ...store(), 'gh-2')).code, 0);
    const open = await cli('status', ...store());
    assert.match(open.out.join('\n'), new RegExp(`gh-2 +PR open #5 ${world.fake.web}/pull/5`));
    world.fake.setPullState(5, 'merged');
    const merged = await cli('status', ...store(), '--json');
    const view = JSON.parse(merged.out.join('\n')) as { tickets: { id: string; pullRequest: { state: string } | null }[] };
    assert.equal(view.tickets.find((t) => t.id === 'gh-2')?.pullRequest?.state, 'merged');
    assert.equal(view.tickets.find((t) => t.id === 'gh-1')?.pullRequest, null);
  });

  it('accept --comment comments on the issue with the summary, the cost and the merge commit', async () => {
    const accept = await cli('accept', ...store(), 'gh-1', '--comment');
    assert.equal(accept.code, 0, accept.err.join('\n'));
    const commit = /merge commit ([0-9a-f]{12})/.exec(accept.out[0] ?? '')?.[1];
    assert.ok(commit, accept.out.join('\n'));
    assert.match(accept.out[1] ?? '', /^commented on issue #1: .*\/issues\/1#issuecomment-1$/);
    assert.equal(world.fake.comments.length, 1);
    const comment = world.fake.comments[0];
    assert.equal(comment?.issueNumber, 1);
    assert.match(comment?.body ?? '', new RegExp(`merged into \`main\` as ${commit}`));
    assert.match(comment?.body ?? '', /Cost: \$/);
  });

  it('request-changes on an issue ticket takes the ticket from the batch, with no token and no GitHub call', async () => {
    delete process.env.GITHUB_TOKEN;
    const calls = world.fake.requests.length;
    const changes = await cli('request-changes', ...store(), 'gh-2', '--message', 'Also keep a test for "!!!".', '--simulate');
    assert.ok(changes.code === 0 || changes.code === 1, changes.err.join('\n'));
    assert.ok(!changes.err.join('\n').includes('no longer load'), changes.err.join('\n'));
    assert.equal(world.fake.requests.length, calls);
  });

  it('refuses clearly: no token, an expired token, a ticket already accepted — nothing pushed or written', async () => {
    delete process.env.GITHUB_TOKEN;
    const none = await cli('pr', ...store(), 'gh-2');
    assert.equal(none.code, 2);
    assert.match(none.err.join('\n'), /flotilla pr: no GitHub token in the environment.*; set GITHUB_TOKEN or GH_TOKEN/);
    process.env.GITHUB_TOKEN = FAKE_TOKEN;
    world.fake.expireToken();
    const expired = await cli('pr', ...store(), 'gh-2');
    assert.equal(expired.code, 2);
    assert.match(expired.err.join('\n'), /GitHub refused the token \(401 Bad credentials\)/);
    assert.equal((await cli('accept', ...store(), 'gh-1')).code, 0);
    const accepted = await cli('pr', ...store(), 'gh-1');
    assert.equal(accepted.code, 2);
    assert.match(accepted.err.join('\n'), /gh-1 \(batch .*\) was already accepted into main.*push the branch to share it/);
    assert.deepEqual(world.fake.writes, []);
    const onOrigin = execFileSync('git', ['for-each-ref', '--format=%(refname)', 'refs/heads/flotilla'], { cwd: world.origin, encoding: 'utf8' });
    assert.equal(onOrigin.trim(), '', 'no ticket branch was pushed');
  });
});
