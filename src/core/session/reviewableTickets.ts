import { ticketWorktreePath } from '../git/worktrees';
import { readDecisions, readGitHub, readPullRequests, readRecords, readResumeInfo, type PullRequestRecord, type TicketDecision } from '../store/batchExtra';
import type { IssueReference } from '../tickets/ticketSchema';
import type { BatchStateStore } from '../store/batchStateStore';

/** A finished ticket whose branch can be reviewed, accepted or rejected. */
export interface ReviewableTicket {
  readonly batchId: string;
  readonly ticketId: string;
  readonly title: string;
  readonly branch: string;
  readonly commit: string | null;
  readonly baseCommit: string;
  /** Where its branch begins: the base commit, or its dependencies' work (a ticket with dependsOn builds on their result). */
  readonly startCommit: string;
  readonly repoRoot: string;
  /** Where its worktree is (or was): `<storage>/worktrees/<batch>/<ticket>`. */
  readonly worktree: string;
  readonly batchCreatedAt: string;
  readonly decision: TicketDecision | undefined;
  /** The GitHub issue it was made from (the batch's `extra.github`); absent for a ticket file. */
  readonly issue?: IssueReference;
  /** Its pull request, once one was opened (`extra.pullRequests`). */
  readonly pullRequest?: PullRequestRecord;
}

/** Every done ticket with a branch across this workspace's batches, newest batch first. */
export async function listReviewableTickets(store: BatchStateStore, storage: string): Promise<ReviewableTicket[]> {
  const { batches } = await store.list();
  const found: ReviewableTicket[] = [];
  for (const { state } of batches) {
    const resume = readResumeInfo(state);
    if (resume === null || state.baseCommit === null) continue;
    const { records } = readRecords(state);
    const decisions = readDecisions(state);
    const issues = readGitHub(state)?.tickets;
    const pullRequests = readPullRequests(state);
    for (const id of state.ticketIds) {
      const record = records.get(id);
      if (record?.state !== 'done' || record.branch === null) continue;
      const issue = issues?.get(id)?.issue;
      const pullRequest = pullRequests[id];
      found.push({
        batchId: state.id,
        ticketId: id,
        title: record.title,
        branch: record.branch,
        commit: record.commit,
        baseCommit: state.baseCommit,
        // Records from before startCommit was kept started at the base unless they had dependencies.
        startCommit: record.startCommit ?? state.baseCommit,
        repoRoot: resume.repoRoot,
        worktree: ticketWorktreePath(storage, state.id, id),
        batchCreatedAt: state.createdAt,
        decision: decisions[id],
        ...(issue ? { issue } : {}),
        ...(pullRequest ? { pullRequest } : {}),
      });
    }
  }
  return found;
}

