import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { GitClient } from '../core/git/gitClient';
import type { Logger } from '../core/logger';
import type { Settings } from '../core/settings/settingsSchema';
import { fileConditionalCache, githubCacheFile } from '../core/tickets/github/conditionalCache';
import { GitHubApi } from '../core/tickets/github/githubApi';
import { GitHubAuthError, GitHubError } from '../core/tickets/github/githubErrors';
import { resolveGitHubTarget, type GitHubTarget } from '../core/tickets/github/githubRepository';
import type { GitHubAccess } from '../core/session/pullRequests';
import type { TicketSet } from '../core/tickets/loadTickets';
import { TICKET_SOURCES, type TicketSourceChoice } from '../core/tickets/ticketSourceChoice';
import { loadTicketSources } from '../core/tickets/ticketSources';
import { UsageError } from './usageError';

/** The flags that choose where tickets come from (run, plan, tickets list). */
export const SOURCE_FLAGS = {
  source: { type: 'string' },
  query: { type: 'string' },
  'github-repo': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export interface SourceValues {
  source?: string;
  query?: string;
  'github-repo'?: string;
}

export interface CliTickets {
  readonly set: TicketSet;
  readonly source: TicketSourceChoice;
  /** Where the issues came from, when the source includes GitHub. */
  readonly github?: GitHubTarget;
}

/**
 * The GitHub token of a terminal: GITHUB_TOKEN (as GitHub Actions sets it) or GH_TOKEN (as the gh CLI
 * reads it). Used for REST calls only, never written anywhere; child processes never see either
 * variable (childEnvironment.ts), so `git push` uses the user's own git credentials.
 */
export function githubTokenFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const token = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
  return token === '' ? undefined : token;
}

/** A client for the GitHub API at `apiUrl` with the terminal's token and the storage folder's ETag cache. */
export function cliGitHubApi(apiUrl: string, storage: string, logger: Logger): GitHubApi {
  const token = githubTokenFromEnv();
  if (token === undefined) throw new GitHubAuthError('no GitHub token in the environment: Flotilla reads GitHub issues and opens pull requests with a token');
  return new GitHubApi({ apiUrl, token, cache: fileConditionalCache(githubCacheFile(storage), logger), logger });
}

/**
 * GitHub as the CLI reaches it, for pull requests and issue comments: the token from the environment
 * (asked for only when a call is made), the repository from origin or --github-repo, the API from
 * GITHUB_API_URL.
 */
export function cliGitHubAccess(storage: string, logger: Logger, repository?: string): GitHubAccess {
  return {
    api: async (apiUrl) => cliGitHubApi(apiUrl, storage, logger),
    target: (repoRoot) => resolveGitHubTarget({ git: new GitClient(), repoRoot, ...(repository === undefined ? {} : { repository }), apiUrl: process.env.GITHUB_API_URL?.trim() || undefined }),
  };
}

export function parseSource(values: SourceValues, settings: Settings): TicketSourceChoice {
  const given = values.source ?? settings['tickets.source'];
  const source = TICKET_SOURCES.find((s) => s === given);
  if (!source) throw new UsageError(`--source ${given}: use ${TICKET_SOURCES.join(', ')}`);
  if (source === 'files' && (values.query !== undefined || values['github-repo'] !== undefined)) {
    throw new UsageError(`${values.query !== undefined ? '--query' : '--github-repo'} applies to GitHub issues: add --source github (or both)`);
  }
  return source;
}

/**
 * The tickets of the chosen source for a repository: its ticket files, the GitHub issues the query
 * selects (token from GITHUB_TOKEN/GH_TOKEN, API from GITHUB_API_URL), or both. With GitHub alone a
 * GitHub failure is the command's error (exit 2, the typed error's message and next step); with both,
 * it is a warning and the file tickets stay.
 */
export async function loadCliTickets(values: SourceValues, repo: string, settings: Settings, storage: string, logger: Logger): Promise<CliTickets> {
  const source = parseSource(values, settings);
  const folder = join(repo, settings['tickets.folder']);
  if (source === 'files') return { set: await loadTicketSources({ source, folder }), source };
  let github: { api: GitHubApi; target: GitHubTarget };
  try {
    const target = await resolveGitHubTarget({
      git: new GitClient(),
      repoRoot: repo,
      repository: values['github-repo'] ?? settings['github.repository'],
      apiUrl: process.env.GITHUB_API_URL?.trim() || settings['github.apiUrl'],
    });
    github = { api: cliGitHubApi(target.apiUrl, storage, logger), target };
  } catch (error) {
    // Not on GitHub, or no token: with both sources the ticket files still run.
    if (source === 'github' || !GitHubError.is(error)) throw error;
    logger.warn(`GitHub issues left out: ${error.message}; ${error.nextStep}`);
    return { set: await loadTicketSources({ source, folder, github: { failure: error } }), source };
  }
  const set = await loadTicketSources({ source, folder, github: { ...github, query: values.query ?? settings['github.query'] } });
  const failure = set.github?.failure;
  if (failure && source === 'github') throw failure;
  if (failure) logger.warn(`GitHub issues of ${set.github?.repository ?? ''} left out: ${failure.message}; ${failure.nextStep}`);
  return { set, source, github: github.target };
}
