/** The fake GitHub's records and how they look in REST answers (the fields Flotilla reads, and a few more). */

export interface FakeIssueInput {
  readonly number: number;
  readonly title: string;
  readonly body?: string | null;
  readonly labels?: readonly string[];
  readonly assignees?: readonly string[];
  readonly author?: string;
  readonly milestone?: string;
  readonly state?: 'open' | 'closed';
  /** The issue list includes pull requests; Flotilla must skip them. */
  readonly pullRequest?: boolean;
  /** Issue numbers that block this one (GitHub's issue dependencies). */
  readonly blockedBy?: readonly number[];
}

export interface FakeIssue extends Required<Omit<FakeIssueInput, 'body' | 'milestone'>> {
  readonly body: string | null;
  readonly milestone: string | undefined;
}

export interface FakePull {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly head: string;
  readonly base: string;
  state: 'open' | 'closed';
  merged: boolean;
}

export interface FakeComment {
  readonly issueNumber: number;
  readonly body: string;
}

export function fakeIssue(input: FakeIssueInput): FakeIssue {
  return {
    number: input.number,
    title: input.title,
    body: input.body === undefined ? '' : input.body,
    labels: input.labels ?? [],
    assignees: input.assignees ?? [],
    author: input.author ?? 'outside-author',
    milestone: input.milestone,
    state: input.state ?? 'open',
    pullRequest: input.pullRequest ?? false,
    blockedBy: input.blockedBy ?? [],
  };
}

export function issueJson(issue: FakeIssue, web: string, milestones: readonly string[]): Record<string, unknown> {
  const milestoneNumber = issue.milestone === undefined ? -1 : milestones.indexOf(issue.milestone) + 1;
  return {
    id: 1_000 + issue.number,
    node_id: `I_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    html_url: `${web}/issues/${issue.number}`,
    user: { login: issue.author },
    labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed' })),
    assignees: issue.assignees.map((login) => ({ login })),
    milestone: milestoneNumber > 0 ? { number: milestoneNumber, title: issue.milestone } : null,
    ...(issue.pullRequest ? { pull_request: { url: `${web}/pull/${issue.number}` } } : {}),
  };
}

export function pullJson(pull: FakePull, web: string): Record<string, unknown> {
  return {
    id: 5_000 + pull.number,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    merged: pull.merged,
    merged_at: pull.merged ? '2026-12-07T12:00:00Z' : null,
    html_url: `${web}/pull/${pull.number}`,
    head: { ref: pull.head },
    base: { ref: pull.base },
  };
}

/** Whether an issue passes the issue list's filters (GET /repos/{owner}/{repo}/issues). */
export function matchesListFilters(issue: FakeIssue, query: URLSearchParams, login: string, milestones: readonly string[]): boolean {
  const state = query.get('state') ?? 'open';
  if (state !== 'all' && issue.state !== state) return false;
  const labels = (query.get('labels') ?? '').split(',').filter(Boolean);
  if (!labels.every((l) => issue.labels.some((own) => own.toLowerCase() === l.toLowerCase()))) return false;
  const person = (value: string | null) => (value === '@me' ? login : value);
  const assignee = person(query.get('assignee'));
  if (assignee === 'none' && issue.assignees.length > 0) return false;
  if (assignee !== null && assignee !== 'none' && assignee !== '*' && !issue.assignees.includes(assignee)) return false;
  const creator = person(query.get('creator'));
  if (creator !== null && issue.author !== creator) return false;
  const milestone = query.get('milestone');
  if (milestone === 'none' && issue.milestone !== undefined) return false;
  if (milestone !== null && milestone !== 'none' && milestone !== '*' && milestones[Number(milestone) - 1] !== issue.milestone) return false;
  return true;
}
