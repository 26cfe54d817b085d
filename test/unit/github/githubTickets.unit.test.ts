import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubApi } from '../../../src/core/tickets/github/githubApi';
import { fileConditionalCache, githubCacheFile } from '../../../src/core/tickets/github/conditionalCache';
import { GitHubAuthError, GitHubNotFoundError, GitHubQueryError, GitHubRateLimitError } from '../../../src/core/tickets/github/githubErrors';
import { readGitHubTickets } from '../../../src/core/tickets/github/githubTicketSource';
import type { GitHubTarget } from '../../../src/core/tickets/github/githubRepository';
import { loadTicketSources } from '../../../src/core/tickets/ticketSources';
import { GitHubFake } from '../../fakes/githubFake';
import type { FakeIssueInput } from '../../fakes/githubFakeData';

const TOKEN = 'ghp_fakeTokenForTests0123456789abcdef';

const ISSUES: FakeIssueInput[] = [
  { number: 1, title: 'Add a --version flag', labels: ['flotilla', 'P2'], assignees: ['flotilla-user'], body: '- [ ] prints the version' },
  { number: 2, title: 'Fix the login redirect', labels: ['flotilla', 'bug'], assignees: ['flotilla-user'], blockedBy: [1, 9] },
  { number: 3, title: 'Docs: describe the config', labels: ['flotilla', 'docs'], body: 'depends on #2\ndepends on #8' },
  { number: 4, title: 'A pull request in the issue list', labels: ['flotilla'], pullRequest: true },
  { number: 5, title: 'Not for Flotilla', labels: ['other'] },
  { number: 8, title: 'Closed already', labels: ['flotilla'], state: 'closed' },
  { number: 9, title: 'Closed blocker', labels: ['other'], state: 'closed' },
];

describe('GitHub issues as tickets (against the fake GitHub)', () => {
  let fake: GitHubFake;
  let target: GitHubTarget;
  let storage: string;
  const api = (options: Partial<ConstructorParameters<typeof GitHubApi>[0]> = {}) =>
    new GitHubApi({ apiUrl: fake.url, token: TOKEN, cache: fileConditionalCache(githubCacheFile(storage)), retryBaseMs: 5, ...options });

  beforeEach(async () => {
    fake = await GitHubFake.start({ owner: 'octo', repo: 'app', token: TOKEN, issues: ISSUES, milestones: ['Sprint 4'], maxPageSize: 2 });
    target = { repository: { owner: 'octo', name: 'app' }, apiUrl: fake.url };
    storage = mkdtempSync(join(tmpdir(), 'flotilla-gh-'));
  });
  afterEach(async () => {
    await fake.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('lists the query\'s issues over every page, skips pull requests, and keeps the URL', async () => {
    const read = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.deepEqual(read.tickets.map((t) => t.id).sort(), ['gh-1', 'gh-2', 'gh-3']);
    assert.equal(read.skippedPullRequests, 1);
    // Four matching entries at two per page: two pages were asked for.
    assert.equal(fake.requests.filter((r) => r.path === '/repos/octo/app/issues').length, 2);
    const first = read.tickets.find((t) => t.id === 'gh-1');
    assert.equal(first?.issue?.url, `${fake.web}/issues/1`);
    assert.equal(first?.priority, 2);
    assert.deepEqual(first?.acceptance, ['prints the version']);
  });

  it('takes "blocked by" from the dependencies endpoint and "depends on" lines; closed or unlisted issues are not waited for', async () => {
    const read = await readGitHubTickets(api(), target, 'label:flotilla');
    const byId = new Map(read.tickets.map((t) => [t.id, t]));
    assert.deepEqual(byId.get('gh-2')?.dependsOn, ['gh-1']);
    assert.deepEqual(byId.get('gh-3')?.dependsOn, ['gh-2']);
    const warning = read.problems.find((p) => p.file.endsWith('/issues/3'));
    assert.match(warning?.message ?? '', /depends on #8, which is not among the listed issues/);
    assert.equal(warning?.severity, 'warning');
  });

  it('reads no dependencies when the endpoint answers 404 (older Enterprise), asking it once', async () => {
    fake.setDependenciesEndpoint(false);
    const read = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.deepEqual(read.tickets.find((t) => t.id === 'gh-2')?.dependsOn, []);
    assert.ok(fake.requests.filter((r) => r.path.endsWith('/dependencies/blocked_by')).length <= 6, 'stops asking after the first 404 (up to one round of concurrent calls)');
  });

  it('maps @me through GET /user and a milestone title to its number', async () => {
    fake.setIssue({ number: 6, title: 'In the sprint', labels: ['flotilla'], assignees: ['flotilla-user'], milestone: 'Sprint 4' });
    const read = await readGitHubTickets(api(), target, 'assignee:@me milestone:"sprint 4"');
    assert.deepEqual(read.tickets.map((t) => t.id), ['gh-6']);
    assert.equal(fake.requests.filter((r) => r.path === '/user').length, 1);
    const list = fake.requests.find((r) => r.path === '/repos/octo/app/issues');
    assert.match(list?.query ?? '', /assignee=flotilla-user/);
    assert.match(list?.query ?? '', /milestone=1/);
    await assert.rejects(readGitHubTickets(api(), target, 'milestone:Nope'), (e: unknown) => GitHubQueryError.is(e) && /no milestone titled "Nope"/.test(e.message));
  });

  it('refreshes an unchanged list with conditional requests: 304s, no rate limit spent, the same tickets (cache kept in storage)', async () => {
    const first = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.ok(existsSync(githubCacheFile(storage)));
    const used = fake.rateLimitUsed;
    // A new client, as a new CLI process would make: the cache comes from storage.
    const again = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.equal(fake.rateLimitUsed, used, 'a refresh of an unchanged list costs no rate limit');
    assert.ok(fake.requests.slice(-3).every((r) => r.status === 304));
    assert.deepEqual(again.tickets, first.tickets);
    fake.setIssue({ number: 1, title: 'Add a --version flag (edited)', labels: ['flotilla'] });
    const edited = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.equal(edited.tickets.find((t) => t.id === 'gh-1')?.title, 'Add a --version flag (edited)');
    assert.ok(!readFileSync(githubCacheFile(storage), 'utf8').includes(TOKEN), 'the token is not in the cache');
  });

  it('sends the token only as the Authorization header', async () => {
    await readGitHubTickets(api(), target, 'label:flotilla');
    assert.ok(fake.requests.every((r) => r.authorization === `token ${TOKEN}` && !r.path.includes(TOKEN) && !r.query.includes(TOKEN)));
  });

  it('says an expired token is expired (401), a missing repository is missing (404)', async () => {
    fake.expireToken();
    await assert.rejects(readGitHubTickets(api(), target, ''), (e: unknown) => GitHubAuthError.is(e) && /401 Bad credentials.*expired, revoked or wrong/.test(e.message) && !e.message.includes(TOKEN));
    await assert.rejects(readGitHubTickets(api({ token: undefined }), target, ''), (e: unknown) => GitHubAuthError.is(e) && /no GitHub token/.test(e.message));
    const fresh = await GitHubFake.start({ owner: 'octo', repo: 'app', token: TOKEN });
    try {
      await assert.rejects(
        readGitHubTickets(new GitHubApi({ apiUrl: fresh.url, token: TOKEN }), { repository: { owner: 'octo', name: 'missing' }, apiUrl: fresh.url }, ''),
        (e: unknown) => GitHubNotFoundError.is(e) && /404/.test(e.message),
      );
    } finally {
      await fresh.close();
    }
  });

  it('answers a spent rate limit with when it resets, and waits once for a short retry-after', async () => {
    const reset = Math.floor(Date.now() / 1000) + 1800;
    fake.fail({ path: /\/issues$/, status: 403, message: 'API rate limit exceeded for user ID 1.', headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) } });
    await assert.rejects(readGitHubTickets(api(), target, 'label:flotilla'), (e: unknown) => GitHubRateLimitError.is(e) && e.resetAt?.getTime() === reset * 1000 && /try again after/.test(e.nextStep));
    fake.fail({ path: /\/issues$/, status: 429, message: 'You have exceeded a secondary rate limit.', headers: { 'retry-after': '1' } });
    const read = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.equal(read.tickets.length, 3, 'the retry after one second succeeded');
    fake.fail({ path: /\/issues$/, status: 429, message: 'You have exceeded a secondary rate limit.', headers: { 'retry-after': '3600' } });
    await assert.rejects(readGitHubTickets(api(), target, 'label:flotilla'), (e: unknown) => GitHubRateLimitError.is(e));
  });

  it('retries a server error, then succeeds', async () => {
    fake.fail({ path: /\/issues$/, status: 502, message: 'Bad Gateway' });
    const read = await readGitHubTickets(api(), target, 'label:flotilla');
    assert.equal(read.tickets.length, 3);
  });

  it('loads files and issues as one set checked together; a GitHub failure leaves the file tickets', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'flotilla-gh-files-'));
    try {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(join(repo, 'tickets'));
      writeFileSync(join(repo, 'tickets', 'R01.md'), '---\nid: R01\ntitle: After the GitHub fix\ndependsOn: [gh-2]\n---\nText');
      const both = await loadTicketSources({ source: 'both', folder: join(repo, 'tickets'), github: { api: api(), target, query: 'label:flotilla' } });
      assert.deepEqual(both.tickets.map((t) => t.id), ['gh-1', 'gh-2', 'gh-3', 'R01']);
      assert.equal(both.problems.filter((p) => p.severity === 'error').length, 0);
      assert.deepEqual(both.github, { repository: 'octo/app' });
      fake.expireToken();
      const failed = await loadTicketSources({ source: 'both', folder: join(repo, 'tickets'), github: { api: api(), target, query: 'label:flotilla' } });
      assert.deepEqual(failed.tickets.map((t) => t.id), ['R01']);
      assert.ok(GitHubAuthError.is(failed.github?.failure));
      assert.match(failed.problems[0]?.message ?? '', /no ticket has the id "gh-2"/);
      const filesOnly = await loadTicketSources({ source: 'files', folder: join(repo, 'tickets') });
      assert.equal(filesOnly.github, undefined);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
