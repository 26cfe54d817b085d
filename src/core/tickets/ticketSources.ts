import type { GitHubApi } from './github/githubApi';
import { GitHubError } from './github/githubErrors';
import { repositorySlug, type GitHubTarget } from './github/githubRepository';
import { readGitHubTickets } from './github/githubTicketSource';
import type { TicketSourceChoice } from './ticketSourceChoice';
import { readTicketFolder, withTicketGraph, type TicketFileSystem, type TicketSet } from './loadTickets';


/** A GitHub source ready to read, or why it cannot be (no token, not on GitHub), which the set then reports. */
export type GitHubSourceConfig = { readonly api: GitHubApi; readonly target: GitHubTarget; readonly query: string } | { readonly failure: GitHubError; readonly repository?: string };

export interface TicketSourcesOptions {
  readonly source: TicketSourceChoice;
  /** The tickets folder (read for `files` and `both`). */
  readonly folder: string;
  /** Needed for `github` and `both`. */
  readonly github?: GitHubSourceConfig;
  readonly fs?: TicketFileSystem;
}

/**
 * The tickets of every chosen source as one set, checked together (duplicate ids, dependencies, cycles
 * across files and issues), so everything after this sees one kind of ticket whatever its source.
 * GitHub failing (a spent rate limit, an expired token) is `github.failure`, not an exception: the
 * file tickets still load; a front end that asked for GitHub alone reports the failure as its error.
 */
export async function loadTicketSources(options: TicketSourcesOptions): Promise<TicketSet> {
  const files = options.source === 'github' ? { folder: options.folder, folderExists: false, tickets: [], problems: [], files: [] } : await readTicketFolder(options.folder, options.fs);
  if (options.source === 'files') return withTicketGraph(files);
  const config = options.github;
  if (config === undefined) throw new Error('loadTicketSources: the GitHub source needs its configuration');
  if ('failure' in config) return withTicketGraph({ ...files, github: { repository: config.repository ?? '', failure: config.failure } });
  const repository = repositorySlug(config.target.repository);
  try {
    const issues = await readGitHubTickets(config.api, config.target, config.query);
    return withTicketGraph({ ...files, tickets: [...files.tickets, ...issues.tickets], problems: [...files.problems, ...issues.problems], github: { repository } });
  } catch (error) {
    if (!GitHubError.is(error)) throw error;
    return withTicketGraph({ ...files, github: { repository, failure: error } });
  }
}
