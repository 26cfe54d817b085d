import type { Logger } from '../../logger';
import { registerSecret } from '../../redactSecrets';
import type { ConditionalCache } from './conditionalCache';
import { GitHubAuthError } from './githubErrors';
import { translateGitHubFailure } from './githubFailure';

export interface GitHubClientOptions {
  readonly apiUrl: string;
  /** Sent as the Authorization header of REST calls and nowhere else. */
  readonly token: string | undefined;
  /** ETag answers kept between listings (conditionalCache.ts); none: every refresh costs the rate limit. */
  readonly cache?: ConditionalCache;
  /**
   * The longest rate-limit wait taken quietly (one retry); a limit that resets later ends the call
   * with GitHubRateLimitError, so a CLI run or a refresh is never stuck for an hour.
   */
  readonly maxRateLimitWaitSeconds?: number;
  /** The retry plugin's back-off unit in ms (server errors, dropped connections); tests shorten it. */
  readonly retryBaseMs?: number;
  readonly logger?: Logger;
}

/**
 * Octokit with the well-kept plugins: retries for server errors, throttling and rate-limit handling.
 * Loaded on first use, like the Anthropic SDK (anthropicSdk.ts): a workspace that lists only ticket
 * files never needs it, and the production build keeps it in dist/octokit.js (esbuild.mjs).
 */
function pluggedOctokit() {
  /* eslint-disable @typescript-eslint/no-require-imports -- a require inside a function keeps the load lazy in the CommonJS bundles */
  const { Octokit } = require('@octokit/rest') as typeof import('@octokit/rest');
  const { retry } = require('@octokit/plugin-retry') as typeof import('@octokit/plugin-retry');
  const { throttling } = require('@octokit/plugin-throttling') as typeof import('@octokit/plugin-throttling');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return Octokit.plugin(retry, throttling);
}
let plugged: ReturnType<typeof pluggedOctokit> | undefined;
export type GitHubOctokit = InstanceType<ReturnType<typeof pluggedOctokit>>;

const DEFAULT_MAX_WAIT_SECONDS = 10;
const USER_AGENT = 'flotilla-vscode';

/**
 * The one place an Octokit is made. Every request passes one wrapper that (1) sends the ETag of the
 * answer kept for the same GET and serves the kept body on 304, and (2) turns failures into typed
 * GitHub errors (githubFailure.ts). Rate limits: the throttling plugin waits once when GitHub says
 * the limit resets within `maxRateLimitWaitSeconds`; otherwise the error says when to try again.
 */
export function createGitHubOctokit(options: GitHubClientOptions): GitHubOctokit {
  // A token that reaches an error text or a log is replaced there (redactSecrets.ts).
  registerSecret(options.token);
  const logger = options.logger;
  const maxWait = options.maxRateLimitWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const waitOnce = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
    const wait = retryCount === 0 && retryAfter <= maxWait;
    logger?.info(`GitHub ${kind} rate limit on ${request.method} ${request.url}: ${wait ? `waiting ${retryAfter} s, then one retry` : `resets in ${retryAfter} s; not waiting`}`);
    return wait;
  };
  plugged ??= pluggedOctokit();
  const octokit = new plugged({
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    ...(options.token ? { auth: options.token } : {}),
    // Octokit logs request failures to the console by default; ours go through typed errors instead.
    log: { debug: () => undefined, info: () => undefined, warn: (message: string) => logger?.debug(message), error: (message: string) => logger?.debug(message) },
    retry: { retries: 2, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], ...(options.retryBaseMs === undefined ? {} : { retryAfterBaseValue: options.retryBaseMs }) },
    throttle: {
      onRateLimit: waitOnce('primary'),
      onSecondaryRateLimit: waitOnce('secondary'),
      ...(options.retryBaseMs === undefined ? {} : { retryAfterBaseValue: options.retryBaseMs }),
    },
  });
  const cache = options.cache;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    if (!options.token) throw new GitHubAuthError('no GitHub token: Flotilla reads GitHub issues and opens pull requests with a token');
    const method = requestOptions.method;
    const key = method === 'GET' && cache ? `${method} ${octokit.request.endpoint.parse(requestOptions).url}` : undefined;
    const kept = key === undefined ? undefined : (await cache?.ready(), cache?.get(key));
    if (kept) requestOptions.headers = { ...requestOptions.headers, 'if-none-match': kept.etag };
    try {
      const response = await request(requestOptions);
      const etag = response.headers.etag;
      if (key !== undefined && typeof etag === 'string') cache?.set(key, { etag, link: response.headers.link ?? null, data: response.data, storedAt: new Date().toISOString() });
      return response;
    } catch (error) {
      // 304: unchanged since the kept answer, and free of rate limit.
      if (kept && (error as { status?: unknown }).status === 304) {
        return { status: 200, url: octokit.request.endpoint.parse(requestOptions).url, headers: { etag: kept.etag, ...(kept.link === null ? {} : { link: kept.link }) }, data: kept.data };
      }
      throw translateGitHubFailure(error, method, requestOptions.url, options.apiUrl);
    }
  });
  return octokit;
}
