import { problemAt, START_OF_FILE, type TicketProblem } from '../ticketProblem';
import type { StoredIssueTicket } from '../../store/batchExtra';
import type { Ticket } from '../ticketSchema';
import type { GitHubIssue } from './githubApi';

/**
 * The mapping from a GitHub issue to a ticket, written once (issue #23): id `gh-<number>` (safe for
 * branch names), title, body as the description, labels as they are (the router reads class labels
 * such as `docs` or `security` from them) with a priority label read as the priority, the body's task
 * list as acceptance checks, and dependencies from GitHub's "blocked by" and `depends on #n` lines.
 */

const ID_PREFIX = 'gh-';

export function issueTicketId(issueNumber: number): string {
  return `${ID_PREFIX}${issueNumber}`;
}

/** The issue number of a `gh-<number>` ticket id, or undefined for any other id. */
export function issueNumberOf(ticketId: string): number | undefined {
  const match = /^gh-([1-9][0-9]*)$/.exec(ticketId);
  return match ? Number(match[1]) : undefined;
}

/**
 * GitHub caps a body at 65,536 characters, an Enterprise server or a proxy may not; a description is
 * prose for a worker, so anything longer is cut with a note (and a warning) rather than sent whole.
 */
export const MAX_DESCRIPTION_CHARS = 65_536;
const MAX_TITLE_CHARS = 300;

/** `P1`, `priority:2`, `priority/3`, `priority-4`, `prio:1` (any case) → 1..5; the first such label wins. */
export function priorityFromLabels(labels: readonly string[]): number | undefined {
  for (const label of labels) {
    const match = /^(?:p|prio(?:rity)?\s*[:/-]?\s*)([1-5])$/i.exec(label.trim());
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * `depends on #12`, `Depends on: #3, #4 and #5` at the start of a line (after list markers or quote
 * signs): issue numbers in this repository. References to other repositories (`o/r#5`) do not count.
 */
export function dependsOnNumbers(body: string): { numbers: number[]; lines: Map<number, number> } {
  const numbers: number[] = [];
  const lines = new Map<number, number>();
  body.split(/\r?\n/).forEach((text, index) => {
    const match = /^[\s>*+-]*depends\s+on\s*:?\s*(.+)$/i.exec(text);
    if (!match) return;
    for (const ref of (match[1] ?? '').matchAll(/(^|[\s,(])#([1-9][0-9]*)\b/g)) {
      const value = Number(ref[2]);
      if (!lines.has(value)) lines.set(value, index + 1);
      numbers.push(value);
    }
  });
  return { numbers: [...new Set(numbers)], lines };
}

/** Task-list items (`- [ ] Code compiles`) as acceptance checks, ticked or not. */
export function acceptanceFromBody(body: string): string[] {
  const checks: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const match = /^\s*[-*+]\s+\[[ xX]\]\s+(.+?)\s*$/.exec(line);
    if (match?.[1]) checks.push(match[1]);
  }
  return checks;
}

export interface MappedIssue {
  readonly ticket: Ticket;
  readonly problems: readonly TicketProblem[];
  /** Issue numbers this one waits for: its open blockers and its `depends on #n` lines, before they are checked against the listing. */
  readonly waitsFor: readonly number[];
}

/**
 * One issue as a ticket. `openBlockers` are the numbers of the open issues GitHub says block it
 * (closed blockers are done and drop out before this); none when the server keeps no dependencies.
 */
export function issueToTicket(issue: GitHubIssue, openBlockers: readonly number[], repository: string): MappedIssue {
  const url = issue.html_url;
  const problems: TicketProblem[] = [];
  // NUL and other control characters (tabs and line breaks aside) have no place in prose for a model or a tree.
  let description = issue.body.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (description.length > MAX_DESCRIPTION_CHARS) {
    problems.push(problemAt(url, START_OF_FILE, 'warning', `the issue body is ${Math.round(description.length / 1024)} KB; the ticket keeps its first ${MAX_DESCRIPTION_CHARS / 1024} KB`));
    description = `${description.slice(0, MAX_DESCRIPTION_CHARS)}\n\n[… the rest of the issue body is left out: it is longer than ${MAX_DESCRIPTION_CHARS / 1024} KB]`;
  }
  // A title is a commit subject and a terminal line (ticketSchema.ts titleProblem): every control
  // character, line breaks and ESC included, becomes a space rather than refusing the issue.
  const oneLine = issue.title.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  const title = oneLine === '' ? `Issue #${issue.number}` : oneLine.length > MAX_TITLE_CHARS ? `${oneLine.slice(0, MAX_TITLE_CHARS)}…` : oneLine;
  const mentioned = dependsOnNumbers(description);
  const waitsFor = [...new Set([...openBlockers, ...mentioned.numbers])].filter((n) => n !== issue.number).sort((a, b) => a - b);
  const priority = priorityFromLabels(issue.labels);
  const snapshot: StoredIssueTicket = {
    id: issueTicketId(issue.number),
    title,
    labels: [...issue.labels],
    ...(priority === undefined ? {} : { priority }),
    dependsOn: waitsFor.map(issueTicketId),
    acceptance: acceptanceFromBody(description),
    description,
    issue: { number: issue.number, url, repository, author: issue.user?.login ?? null },
  };
  const ticket: Ticket = {
    ...ticketFromSnapshot(snapshot),
    status: issue.state === 'closed' ? 'done' : 'open',
    positions: { id: START_OF_FILE, dependsOn: waitsFor.map((n) => ({ line: mentioned.lines.get(n) ?? 1, column: 1 })) },
  };
  return { ticket, problems, waitsFor };
}

/** What a batch keeps of an issue ticket (state.json `extra.github.tickets`); undefined for a ticket file. */
export function issueTicketSnapshot(ticket: Ticket): StoredIssueTicket | undefined {
  if (!ticket.issue) return undefined;
  const { id, title, labels, priority, dependsOn, acceptance, description, issue } = ticket;
  return { id, title, labels, ...(priority === undefined ? {} : { priority }), dependsOn, acceptance, description, issue };
}

/** The ticket a batch ran, back from its snapshot, as the mapping made it. */
export function ticketFromSnapshot(snapshot: StoredIssueTicket): Ticket {
  return {
    id: snapshot.id,
    title: snapshot.title,
    labels: snapshot.labels,
    ...(snapshot.priority === undefined ? {} : { priority: snapshot.priority }),
    dependsOn: snapshot.dependsOn,
    files: [],
    model: 'auto',
    review: 'auto',
    acceptance: snapshot.acceptance,
    status: 'open',
    description: snapshot.description,
    file: snapshot.issue.url,
    issue: snapshot.issue,
    extra: {},
    positions: { id: START_OF_FILE, dependsOn: snapshot.dependsOn.map(() => START_OF_FILE) },
  };
}
