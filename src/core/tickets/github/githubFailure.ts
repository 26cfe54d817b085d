import { z } from 'zod';
import { errorMessage } from '../../errorText';
import { GitHubAuthError, GitHubError, GitHubNotFoundError, GitHubRateLimitError, GitHubRequestError } from './githubErrors';

/** What Octokit's RequestError carries (read through a schema, not a cast: it comes from a dependency). */
const requestErrorShape = z.object({
  status: z.number().int(),
  message: z.string().catch(''),
  response: z
    .object({
      headers: z.record(z.string(), z.unknown()).catch({}),
      data: z.unknown(),
    })
    .optional()
    .catch(undefined),
});

const messageOf = z.object({ message: z.string() });

/**
 * A failed GitHub request as one of the typed errors, with a message that names the call and what
 * GitHub said, and never the token. `path` is the request's URL template (`/repos/{owner}/{repo}/issues`).
 */
export function translateGitHubFailure(error: unknown, method: string, path: string, apiUrl: string): GitHubError {
  if (GitHubError.is(error)) return error;
  const parsed = requestErrorShape.safeParse(error);
  if (!parsed.success || parsed.data.status < 300 || parsed.data.status >= 600) {
    return new GitHubRequestError(`could not reach the GitHub API at ${apiUrl}: ${errorMessage(error)}`, null);
  }
  const { status, response } = parsed.data;
  const headers = response?.headers ?? {};
  const said = messageOf.safeParse(response?.data).data?.message ?? parsed.data.message;
  const call = `${method} ${path}`;
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  if (status === 401) return new GitHubAuthError(`GitHub refused the token (401 ${said}): it is expired, revoked or wrong`);
  if (status === 429 || (status === 403 && (header('x-ratelimit-remaining') === '0' || /rate limit/i.test(said) || header('retry-after') !== undefined))) {
    return new GitHubRateLimitError(resetTime(header('retry-after'), header('x-ratelimit-reset')));
  }
  if (status === 403) return new GitHubAuthError(`GitHub refused ${call} (403 ${said}): the token lacks permission for it`);
  if (status === 404) return new GitHubNotFoundError(`GitHub answered 404 for ${call}: the repository does not exist at ${apiUrl}, or the token cannot see it`);
  return new GitHubRequestError(`GitHub answered ${status} for ${call}${said ? `: ${said}` : ''}`, status);
}

/** `retry-after` (seconds) wins over `x-ratelimit-reset` (epoch seconds); neither: unknown. */
function resetTime(retryAfter: string | undefined, reset: string | undefined, now: number = Date.now()): Date | null {
  const seconds = Number(retryAfter);
  if (retryAfter !== undefined && Number.isFinite(seconds) && seconds >= 0) return new Date(now + seconds * 1000);
  const epoch = Number(reset);
  if (reset !== undefined && Number.isFinite(epoch) && epoch > 0) return new Date(epoch * 1000);
  return null;
}
