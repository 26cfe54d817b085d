import * as assert from 'node:assert/strict';
import { GitClient } from '../../../src/core/git/gitClient';
import { NotOnGitHubError } from '../../../src/core/tickets/github/githubErrors';
import { GITHUB_COM_API_URL, parseGitHubApiUrl, parseRepositorySlug, repositoryFromRemote, resolveGitHubTarget } from '../../../src/core/tickets/github/githubRepository';
import { createTempRepo, type TempRepo } from '../git/tempRepo';

describe('GitHub repository of a workspace', () => {
  it('reads owner/name from the remote forms git uses, on GitHub.com or an Enterprise host', () => {
    const dotCom = GITHUB_COM_API_URL;
    for (const remote of ['https://github.com/octo/app.git', 'https://github.com/octo/app', 'git@github.com:octo/app.git', 'ssh://git@github.com/octo/app.git', 'https://someone@github.com/octo/app/']) {
      assert.deepEqual(repositoryFromRemote(remote, dotCom), { owner: 'octo', name: 'app' }, remote);
    }
    assert.deepEqual(repositoryFromRemote('git@ghe.example.com:team/svc.git', 'https://ghe.example.com/api/v3'), { owner: 'team', name: 'svc' });
    assert.equal(repositoryFromRemote('git@ghe.example.com:team/svc.git', dotCom), undefined);
    assert.equal(repositoryFromRemote('https://gitlab.com/octo/app.git', dotCom), undefined);
    assert.equal(repositoryFromRemote('/srv/git/app.git', dotCom), undefined);
    assert.equal(repositoryFromRemote('https://github.com/octo/app/tree/main', dotCom), undefined);
  });

  it('checks OWNER/NAME and API addresses, saying what would be valid', () => {
    assert.deepEqual(parseRepositorySlug('octo-org/my.app'), { owner: 'octo-org', name: 'my.app' });
    for (const bad of ['octo', 'a/b/c', '/app', 'octo/', 'oc to/app', 'octo/..']) {
      assert.throws(() => parseRepositorySlug(bad), (e: unknown) => NotOnGitHubError.is(e) && /write it as OWNER\/NAME/.test(e.nextStep), bad);
    }
    assert.equal(parseGitHubApiUrl('https://ghe.example.com/api/v3/'), 'https://ghe.example.com/api/v3');
    assert.throws(() => parseGitHubApiUrl('ftp://x'), /not http or https/);
    assert.throws(() => parseGitHubApiUrl('https://user:pw@api.github.com'), /contains credentials/);
    assert.throws(() => parseGitHubApiUrl('not a url'), /is not a URL/);
  });

  describe('from origin', () => {
    let repo: TempRepo;
    const git = new GitClient();
    beforeEach(() => (repo = createTempRepo()));
    afterEach(() => repo.dispose());

    it('uses origin on GitHub, or the repository named instead of any origin', async () => {
      repo.git('remote', 'add', 'origin', 'git@github.com:octo/app.git');
      assert.deepEqual(await resolveGitHubTarget({ git, repoRoot: repo.root }), { repository: { owner: 'octo', name: 'app' }, apiUrl: GITHUB_COM_API_URL });
      repo.git('remote', 'set-url', 'origin', '/srv/git/app.git');
      assert.deepEqual(await resolveGitHubTarget({ git, repoRoot: repo.root, repository: 'other/repo', apiUrl: 'http://127.0.0.1:9/' }), {
        repository: { owner: 'other', name: 'repo' },
        apiUrl: 'http://127.0.0.1:9',
      });
    });

    it('says clearly when the repository is not on GitHub, or has no origin', async () => {
      await assert.rejects(resolveGitHubTarget({ git, repoRoot: repo.root }), (e: unknown) => NotOnGitHubError.is(e) && /no remote called origin/.test(e.message) && /--github-repo/.test(e.nextStep));
      repo.git('remote', 'add', 'origin', 'https://user:secret@gitlab.com/octo/app.git');
      await assert.rejects(
        resolveGitHubTarget({ git, repoRoot: repo.root }),
        (e: unknown) => NotOnGitHubError.is(e) && /is not a repository on github\.com/.test(e.message) && !e.message.includes('secret') && /GITHUB_API_URL/.test(e.nextStep),
      );
    });
  });
});
