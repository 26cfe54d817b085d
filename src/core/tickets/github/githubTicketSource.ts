import { mapWithConcurrency } from '../loadTickets';
import { problemAt, type TicketProblem } from '../ticketProblem';
import type { Ticket } from '../ticketSchema';
import type { GitHubApi } from './githubApi';
import { repositorySlug, type GitHubTarget } from './githubRepository';
import { issueTicketId, issueToTicket } from './issueTicket';
import { listParameters, parseIssueQuery } from './issueQuery';

export interface GitHubTicketsRead {
  readonly tickets: readonly Ticket[];
  readonly problems: readonly TicketProblem[];
  /** Pull requests the list contained and the source left out. */
  readonly skippedPullRequests: number;
}

/** Dependencies are one request per issue; a few at a time keeps a long list quick without a burst. */
const DEPENDENCY_CONCURRENCY = 6;

/**
 * The issues a query selects, as tickets. Pull requests in the list are skipped. Each issue's open
 * blockers come from GitHub's dependencies endpoint (the first 404 means the server has none: no
 * more calls); a dependency on an issue outside the listing (closed, or not matched by the query)
 * cannot be waited for in a batch, so it is dropped with a warning. Throws the typed GitHub errors.
 */
export async function readGitHubTickets(api: GitHubApi, target: GitHubTarget, query: string): Promise<GitHubTicketsRead> {
  const repo = target.repository;
  const slug = repositorySlug(repo);
  const parameters = await listParameters(parseIssueQuery(query), api, repo);
  const listed = await api.listIssues(repo, parameters);
  const issues = listed.filter((issue) => issue.pull_request === undefined);
  let dependenciesEndpoint = true;
  const blockers = await mapWithConcurrency(issues, DEPENDENCY_CONCURRENCY, async (issue) => {
    if (!dependenciesEndpoint) return [];
    const blocking = await api.blockedBy(repo, issue.number);
    if (blocking === null) {
      dependenciesEndpoint = false;
      api.logger?.info(`GitHub at ${target.apiUrl} has no issue dependencies endpoint (404); ${slug}'s issues are read without "blocked by" links`);
      return [];
    }
    return blocking.filter((b) => b.state !== 'closed').map((b) => b.number);
  });
  await api.saveCache();

  const numbers = new Set(issues.map((i) => i.number));
  const tickets: Ticket[] = [];
  const problems: TicketProblem[] = [];
  issues.forEach((issue, index) => {
    const mapped = issueToTicket(issue, blockers[index] ?? [], slug);
    problems.push(...mapped.problems);
    const outside = mapped.waitsFor.filter((n) => !numbers.has(n));
    if (outside.length === 0) {
      tickets.push(mapped.ticket);
      return;
    }
    const refs = outside.map((n) => `#${n}`).join(', ');
    problems.push(problemAt(mapped.ticket.file, mapped.ticket.positions.id, 'warning', `depends on ${refs}, which ${outside.length === 1 ? 'is' : 'are'} not among the listed issues (closed, or outside the query), so the ticket does not wait for ${outside.length === 1 ? 'it' : 'them'}`));
    const dropped = new Set(outside.map(issueTicketId));
    const keep = mapped.ticket.dependsOn.map((id, i) => [id, mapped.ticket.positions.dependsOn[i]] as const).filter(([id]) => !dropped.has(id));
    tickets.push({ ...mapped.ticket, dependsOn: keep.map(([id]) => id), positions: { id: mapped.ticket.positions.id, dependsOn: keep.map(([, p]) => p ?? mapped.ticket.positions.id) } });
  });
  return { tickets, problems, skippedPullRequests: listed.length - issues.length };
}
