import type { GitClient } from '../../git/gitClient';
import { GitCommandError } from '../../git/gitErrors';
import { NotOnGitHubError } from './githubErrors';

/** GitHub.com's REST API; an Enterprise server's is `https://HOST/api/v3` (GITHUB_API_URL, flotilla.github.apiUrl). */
export const GITHUB_COM_API_URL = 'https://api.github.com';

/** A repository on GitHub, `owner/name`. */
export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
}

/** Where a batch's issues come from and its pull requests go: the repository and the API address (never a token). */
export interface GitHubTarget {
  readonly repository: GitHubRepository;
  readonly apiUrl: string;
}

export function repositorySlug(repository: GitHubRepository): string {
  return `${repository.owner}/${repository.name}`;
}

// GitHub's own rules: owners are letters, digits and single dashes; names add dot and underscore.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** `OWNER/NAME` as --github-repo and flotilla.github.repository give it. */
export function parseRepositorySlug(text: string): GitHubRepository {
  const [owner = '', name = '', ...rest] = text.trim().split('/');
  const bare = name.replace(/\.git$/, '');
  if (rest.length > 0 || !OWNER.test(owner) || !NAME.test(bare) || bare === '.' || bare === '..') {
    throw new NotOnGitHubError(`"${text.slice(0, 80)}" is not a GitHub repository name`, 'write it as OWNER/NAME, for example octo-org/app');
  }
  return { owner, name: bare };
}

/**
 * The API address as GITHUB_API_URL or the setting gives it: an absolute http(s) URL with no
 * credentials in it (they would be sent and shown everywhere), without a trailing slash.
 */
export function parseGitHubApiUrl(given: string): string {
  const fail = (why: string) => new NotOnGitHubError(`the GitHub API address ${given.slice(0, 120)} ${why}`, 'give an http(s) URL such as https://api.github.com or https://github.example.com/api/v3');
  let url: URL;
  try {
    url = new URL(given.trim());
  } catch {
    throw fail('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`uses ${url.protocol.replace(/:$/, '')}, not http or https`);
  if (url.username !== '' || url.password !== '') throw fail('contains credentials (the token comes from GITHUB_TOKEN or GH_TOKEN)');
  return url.toString().replace(/\/+$/, '');
}

/** The web host whose remotes belong to this API: github.com for api.github.com, the server's own host for Enterprise. */
export function webHostOf(apiUrl: string): string {
  const host = new URL(apiUrl).host.toLowerCase();
  return host.startsWith('api.') ? host.slice('api.'.length) : host;
}

/**
 * The repository a git remote URL names on the GitHub at `apiUrl`, or undefined when the remote is
 * elsewhere (another host, a local path). Understands https, ssh and scp-like (`git@host:o/r.git`) forms.
 */
export function repositoryFromRemote(remote: string, apiUrl: string): GitHubRepository | undefined {
  const address = remote.trim();
  let host: string;
  let path: string;
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/.exec(address);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(address)) {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return undefined;
    host = url.host.toLowerCase();
    path = url.pathname;
  } else if (scpLike) {
    host = (scpLike[1] ?? '').toLowerCase();
    path = scpLike[2] ?? '';
  } else {
    return undefined;
  }
  if (host.replace(/:\d+$/, '') !== webHostOf(apiUrl).replace(/:\d+$/, '')) return undefined;
  const parts = path.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length !== 2) return undefined;
  try {
    return parseRepositorySlug(parts.join('/'));
  } catch {
    return undefined;
  }
}

export interface ResolveTargetOptions {
  readonly git: GitClient;
  readonly repoRoot: string;
  /** --github-repo / flotilla.github.repository; then `origin` may be any remote. */
  readonly repository?: string;
  /** GITHUB_API_URL / flotilla.github.apiUrl; default GitHub.com. */
  readonly apiUrl?: string;
}

/** The repository and API address a ticket source or a pull request uses; NotOnGitHubError says why there is none. */
export async function resolveGitHubTarget(options: ResolveTargetOptions): Promise<GitHubTarget> {
  const apiUrl = options.apiUrl === undefined || options.apiUrl.trim() === '' ? GITHUB_COM_API_URL : parseGitHubApiUrl(options.apiUrl);
  if (options.repository !== undefined && options.repository.trim() !== '') return { repository: parseRepositorySlug(options.repository), apiUrl };
  const name = 'name the repository with --github-repo OWNER/NAME (flotilla.github.repository in the editor)';
  let remote: string;
  try {
    remote = await options.git.value(options.repoRoot, ['remote', 'get-url', 'origin']);
  } catch (error) {
    if (error instanceof GitCommandError) throw new NotOnGitHubError(`${options.repoRoot} has no remote called origin, so its GitHub repository is unknown`, name);
    throw error;
  }
  const repository = repositoryFromRemote(remote, apiUrl);
  if (repository) return { repository, apiUrl };
  const host = webHostOf(apiUrl);
  const enterprise = host === 'github.com' ? '; for a GitHub Enterprise server set GITHUB_API_URL (flotilla.github.apiUrl) to its API address, or ' : ', or ';
  throw new NotOnGitHubError(`origin (${describeRemote(remote)}) is not a repository on ${host}`, `${enterprise.replace(/^[;,] /, '')}${name}`);
}

/** A remote for a message: no user name or password, which a URL remote may carry. */
function describeRemote(remote: string): string {
  try {
    const url = new URL(remote);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return remote.slice(0, 200);
  }
}
