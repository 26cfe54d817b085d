import type { GitClient } from '../git/gitClient';
import type { Logger } from '../logger';
import { readGitHub, readPullRequests, readRecords, withPullRequest, type PullRequestRecord, type PullRequestState } from '../store/batchExtra';
import type { BatchStateStore } from '../store/batchStateStore';
import { loadStoredReview } from '../store/storedReview';
import type { GitHubApi, GitHubPullRequest } from '../tickets/github/githubApi';
import { GitHubRequestError } from '../tickets/github/githubErrors';
import { parseRepositorySlug, repositorySlug, type GitHubTarget } from '../tickets/github/githubRepository';
import { acceptedIssueComment, pullRequestBody, pullRequestTitle } from './pullRequestText';
import type { ReviewableTicket } from './reviewableTickets';

/**
 * How the session reaches GitHub, whichever front end holds the token (the CLI's GITHUB_TOKEN, the
 * editor's GitHub sign-in): core never sees where it came from and never stores it.
 */
export interface GitHubAccess {
  /** A client for the API at `apiUrl`; GitHubAuthError when there is no token for that server. */
  api(apiUrl: string): Promise<GitHubApi>;
  /** Where a batch of ticket files opens its pull requests: the repository origin names, or the configured one. */
  target(repoRoot: string): Promise<GitHubTarget>;
}

export interface PullRequestDeps {
  readonly store: BatchStateStore;
  readonly storage: string;
  readonly git: GitClient;
  /** The git that pushes: its environment carries the user's own git credentials (SSH agent, askpass), never a token. */
  readonly pushGit: GitClient;
  readonly github: GitHubAccess;
  readonly logger: Logger;
}

export type PullRequestOutcome = { readonly kind: 'opened' | 'existing'; readonly pullRequest: PullRequestRecord };

/**
 * Open Pull Request, the decision beside Accept & Merge: pushes the ticket branch to `origin` with the
 * user's git credentials and opens a pull request whose body has the verdict, the gates, the cost and,
 * for an issue, `Closes #n`; records it with the batch (`extra.pullRequests`). A ticket whose pull
 * request is open (or merged) answers with it and writes nothing; GitHub's "already exists" is the
 * same answer. Runs only on the user's action (TicketDecisions.openPullRequest, under the decision lock).
 */
export async function openTicketPullRequest(deps: PullRequestDeps, ticket: ReviewableTicket): Promise<PullRequestOutcome> {
  if (ticket.pullRequest && ticket.pullRequest.state !== 'closed') return { kind: 'existing', pullRequest: ticket.pullRequest };
  const loaded = await deps.store.load(ticket.batchId);
  const recorded = loaded ? readGitHub(loaded.state) : null;
  const target: GitHubTarget = recorded ? { repository: parseRepositorySlug(recorded.repository), apiUrl: recorded.apiUrl } : await deps.github.target(ticket.repoRoot);
  // GitHub first: a missing or expired token, or an unknown repository, stops before anything is pushed.
  const api = await deps.github.api(target.apiUrl);
  await api.currentLogin();
  const base = await baseBranch(deps.git, api, ticket.repoRoot, target);
  const head = ticket.branch;
  await deps.pushGit.run(ticket.repoRoot, ['push', '--quiet', 'origin', `refs/heads/${head}:refs/heads/${head}`]);
  deps.logger.info(`Pushed ${head} to origin for ${ticket.ticketId}'s pull request`);
  const record = loaded ? readRecords(loaded.state).records.get(ticket.ticketId) : undefined;
  const review = await loadStoredReview(deps.storage, ticket.batchId, ticket.ticketId);
  let opened: GitHubPullRequest;
  let kind: PullRequestOutcome['kind'] = 'opened';
  try {
    opened = await api.createPullRequest(target.repository, { title: pullRequestTitle(ticket), head, base, body: pullRequestBody(ticket, record, review.kind === 'ok' ? review.review : undefined) });
  } catch (error) {
    // 422 "A pull request already exists" (opened elsewhere, or a record that was lost): that one is the answer.
    const existing = GitHubRequestError.is(error) && error.status === 422 ? await api.findPullRequest(target.repository, head) : undefined;
    if (!existing || existing.state !== 'open') throw error;
    opened = existing;
    kind = 'existing';
  }
  const pullRequest: PullRequestRecord = { number: opened.number, url: opened.html_url, state: stateOf(opened), repository: repositorySlug(target.repository), apiUrl: target.apiUrl, head, base, openedAt: new Date().toISOString() };
  await deps.store.update(ticket.batchId, (state) => withPullRequest(state, ticket.ticketId, pullRequest));
  deps.logger.info(`${kind === 'opened' ? 'Opened' : 'Found'} pull request #${pullRequest.number} for ${ticket.ticketId} (batch ${ticket.batchId}): ${pullRequest.url}`);
  return { kind, pullRequest };
}

/**
 * The branch the pull request asks to merge into: the one the repository's current branch tracks on
 * origin (where Accept & Merge would have merged it), else the repository's default branch on GitHub.
 */
async function baseBranch(git: GitClient, api: GitHubApi, repoRoot: string, target: GitHubTarget): Promise<string> {
  const upstream = await git.run(repoRoot, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}'], { okExitCodes: [128] });
  const tracked = upstream.exitCode === 0 ? /^origin\/(.+)$/.exec(upstream.stdout.trim())?.[1] : undefined;
  return tracked ?? api.defaultBranch(target.repository);
}

function stateOf(pull: GitHubPullRequest): PullRequestState {
  if (pull.merged === true || (pull.merged_at ?? null) !== null) return 'merged';
  return pull.state === 'closed' ? 'closed' : 'open';
}

/**
 * Asks GitHub for the state of every open pull request of the given batches and records what changed
 * (merged, closed). Conditional requests make an unchanged one free. Returns the tickets whose state changed.
 */
export async function refreshPullRequests(store: BatchStateStore, github: GitHubAccess, batchIds: readonly string[]): Promise<{ batchId: string; ticketId: string; state: PullRequestState }[]> {
  const changed: { batchId: string; ticketId: string; state: PullRequestState }[] = [];
  for (const batchId of batchIds) {
    const loaded = await store.load(batchId);
    if (!loaded) continue;
    for (const [ticketId, record] of Object.entries(readPullRequests(loaded.state))) {
      if (record.state !== 'open') continue;
      const api = await github.api(record.apiUrl);
      const state = stateOf(await api.pullRequest(parseRepositorySlug(record.repository), record.number));
      const checked: PullRequestRecord = { ...record, state, checkedAt: new Date().toISOString() };
      await store.update(batchId, (s) => withPullRequest(s, ticketId, checked));
      if (state !== record.state) changed.push({ batchId, ticketId, state });
    }
  }
  return changed;
}

/**
 * The opt-in comment on an accepted issue (`flotilla.github.commentOnAccept`, `accept --comment`):
 * summary, cost, merge commit. Returns the comment's link; undefined for a ticket not made from an issue.
 */
export async function commentOnAcceptedIssue(store: BatchStateStore, github: GitHubAccess, ticket: ReviewableTicket, merge: { readonly into: string; readonly commit: string | null }): Promise<string | undefined> {
  if (!ticket.issue) return undefined;
  const loaded = await store.load(ticket.batchId);
  const recorded = loaded ? readGitHub(loaded.state) : null;
  if (!recorded) return undefined;
  const api = await github.api(recorded.apiUrl);
  const record = loaded ? readRecords(loaded.state).records.get(ticket.ticketId) : undefined;
  const url = await api.comment(parseRepositorySlug(ticket.issue.repository), ticket.issue.number, acceptedIssueComment(ticket, record, merge));
  await api.saveCache();
  return url;
}
