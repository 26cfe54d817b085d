import { z } from 'zod';
import type { Logger } from '../../logger';
import { createGitHubOctokit, type GitHubClientOptions, type GitHubOctokit } from './githubClient';
import { GitHubNotFoundError } from './githubErrors';
import type { GitHubRepository } from './githubRepository';

/**
 * The GitHub REST calls Flotilla makes, each answer read through a schema (the API is a boundary).
 * REST only, no GraphQL: the tests' fake sees and logs every call. Writes are two — open a pull
 * request, comment on an issue — and happen only on the user's action.
 */

const labelSchema = z.union([z.string(), z.object({ name: z.string().nullish() })]).transform((l) => (typeof l === 'string' ? l : (l.name ?? '')));

export const issueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string().catch(''),
  body: z.string().nullish().transform((b) => b ?? ''),
  labels: z.array(labelSchema).catch([]).transform((ls) => ls.filter((l) => l.trim() !== '')),
  html_url: z.string(),
  state: z.string().catch('open'),
  user: z.object({ login: z.string() }).nullish().catch(null),
  /** Present on pull requests, which the issue list includes. */
  pull_request: z.unknown().optional(),
});
export type GitHubIssue = z.infer<typeof issueSchema>;

const userSchema = z.object({ login: z.string().min(1) });
const milestoneSchema = z.object({ number: z.number().int().positive(), title: z.string() });
const repositorySchema = z.object({ default_branch: z.string().min(1), html_url: z.string().optional() });

export const pullRequestSchema = z.object({
  number: z.number().int().positive(),
  html_url: z.string(),
  state: z.string(),
  merged_at: z.string().nullish().catch(null),
  merged: z.boolean().optional().catch(undefined),
  head: z.object({ ref: z.string() }),
  base: z.object({ ref: z.string() }),
});
export type GitHubPullRequest = z.infer<typeof pullRequestSchema>;

const commentSchema = z.object({ id: z.number(), html_url: z.string() });

/** The issue list's filter parameters (GET /repos/{owner}/{repo}/issues). */
export interface IssueListParameters {
  readonly state: 'open' | 'closed' | 'all';
  readonly labels?: string;
  readonly assignee?: string;
  readonly creator?: string;
  readonly mentioned?: string;
  readonly milestone?: string;
}

const PAGE_SIZE = 100;

export class GitHubApi {
  readonly octokit: GitHubOctokit;
  private login: Promise<string> | undefined;

  constructor(readonly options: GitHubClientOptions) {
    this.octokit = createGitHubOctokit(options);
  }

  get logger(): Logger | undefined {
    return this.options.logger;
  }

  /** The token's user (`@me` in a query), asked once per client. */
  currentLogin(): Promise<string> {
    this.login ??= this.octokit.rest.users.getAuthenticated().then((r) => userSchema.parse(r.data).login);
    this.login.catch(() => (this.login = undefined));
    return this.login;
  }

  async defaultBranch(repo: GitHubRepository): Promise<string> {
    const response = await this.octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
    return repositorySchema.parse(response.data).default_branch;
  }

  /** Every page of the issue list (pull requests included, as GitHub lists them). */
  async listIssues(repo: GitHubRepository, parameters: IssueListParameters): Promise<GitHubIssue[]> {
    const raw = await this.octokit.paginate(this.octokit.rest.issues.listForRepo, { owner: repo.owner, repo: repo.name, per_page: PAGE_SIZE, ...parameters });
    return z.array(issueSchema).parse(raw);
  }

  async milestones(repo: GitHubRepository): Promise<z.infer<typeof milestoneSchema>[]> {
    const raw = await this.octokit.paginate(this.octokit.rest.issues.listMilestones, { owner: repo.owner, repo: repo.name, state: 'all', per_page: PAGE_SIZE });
    return z.array(milestoneSchema).parse(raw);
  }

  /**
   * The issues that block `issueNumber` (GitHub's issue dependencies). null when the server has no
   * such endpoint (404: older Enterprise servers), which means no dependencies.
   */
  async blockedBy(repo: GitHubRepository, issueNumber: number): Promise<GitHubIssue[] | null> {
    try {
      const raw = await this.octokit.paginate(this.octokit.rest.issues.listDependenciesBlockedBy, { owner: repo.owner, repo: repo.name, issue_number: issueNumber, per_page: PAGE_SIZE });
      return z.array(issueSchema).parse(raw);
    } catch (error) {
      if (GitHubNotFoundError.is(error)) return null;
      throw error;
    }
  }

  async createPullRequest(repo: GitHubRepository, request: { title: string; head: string; base: string; body: string }): Promise<GitHubPullRequest> {
    const response = await this.octokit.rest.pulls.create({ owner: repo.owner, repo: repo.name, ...request });
    return pullRequestSchema.parse(response.data);
  }

  /** The pull request from `head` (a branch of this repository), open or not, newest first. */
  async findPullRequest(repo: GitHubRepository, head: string): Promise<GitHubPullRequest | undefined> {
    const response = await this.octokit.rest.pulls.list({ owner: repo.owner, repo: repo.name, head: `${repo.owner}:${head}`, state: 'all', per_page: 10 });
    return z.array(pullRequestSchema).parse(response.data)[0];
  }

  async pullRequest(repo: GitHubRepository, pullNumber: number): Promise<GitHubPullRequest> {
    const response = await this.octokit.rest.pulls.get({ owner: repo.owner, repo: repo.name, pull_number: pullNumber });
    return pullRequestSchema.parse(response.data);
  }

  async comment(repo: GitHubRepository, issueNumber: number, body: string): Promise<string> {
    const response = await this.octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: issueNumber, body });
    return commentSchema.parse(response.data).html_url;
  }

  /** Writes the ETag answers of this client's calls to storage. */
  async saveCache(): Promise<void> {
    await this.options.cache?.save();
  }
}
