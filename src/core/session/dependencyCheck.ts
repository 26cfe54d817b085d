import type { GitCallOptions, GitClient } from '../git/gitClient';
import { DecisionNotAllowedError, decisionState } from './decisionRules';
import type { ReviewableTicket } from './reviewableTickets';

/**
 * The other tickets of its batch whose own work the ticket's branch carries. A ticket with
 * `dependsOn` starts from its dependencies' result (batch/ticketStartCommit.ts), so merging it
 * merges them too. Git's graph says which: another ticket's own commits are those between its start
 * and its recorded commit, and the branch carries it when it contains the first of them. (A ticket
 * rejected and collected by git cannot be carried: a branch that carried it would keep it.)
 */
export async function carriedTickets(git: GitClient, ticket: ReviewableTicket, batchTickets: readonly ReviewableTicket[], call?: GitCallOptions): Promise<ReviewableTicket[]> {
  const carried: ReviewableTicket[] = [];
  for (const other of batchTickets) {
    if (other.batchId !== ticket.batchId || other.ticketId === ticket.ticketId || other.commit === null) continue;
    const own = await git.run(ticket.repoRoot, ['rev-list', '--reverse', other.commit, `^${other.startCommit}`, '--'], { ...call, okExitCodes: [128] });
    const first = own.exitCode === 0 ? own.stdout.split('\n')[0]?.trim() : undefined;
    if (!first) continue;
    const inBranch = await git.run(ticket.repoRoot, ['merge-base', '--is-ancestor', first, `refs/heads/${ticket.branch}`], { ...call, okExitCodes: [1] });
    if (inBranch.exitCode === 0) carried.push(other);
  }
  return carried;
}

/**
 * Refuses to accept a ticket whose branch carries a dependency that was rejected or is still
 * awaiting review: the merge would bring that change in without anyone accepting it. The message
 * names each one and the way on (accept it first, reject this one, or run this one again).
 */
export async function refuseUnacceptedDependencies(git: GitClient, ticket: ReviewableTicket, batchTickets: readonly ReviewableTicket[], call?: GitCallOptions): Promise<void> {
  const pending = (await carriedTickets(git, ticket, batchTickets, call)).filter((t) => decisionState(t) !== 'accepted');
  if (pending.length === 0) return;
  const rejected = pending.filter((t) => decisionState(t) === 'rejected').map((t) => t.ticketId);
  const waiting = pending.filter((t) => decisionState(t) === 'awaitingReview').map((t) => t.ticketId);
  const id = ticket.ticketId;
  const parts: string[] = [];
  if (rejected.length > 0) parts.push(`${list(rejected)}, which ${rejected.length === 1 ? 'was' : 'were'} rejected`);
  if (waiting.length > 0) parts.push(`${list(waiting)}, which ${waiting.length === 1 ? 'awaits' : 'await'} review`);
  const next =
    rejected.length > 0
      ? `Reject ${id}, or run it again in a new batch without ${list(rejected)}.`
      : `Accept ${list(waiting)} first, or reject ${id}.`;
  throw new DecisionNotAllowedError(id, ticket.batchId, 'accept', `${id} (batch ${ticket.batchId}) is built on ${parts.join(' and on ')}: accepting it would merge ${list(pending.map((t) => t.ticketId))}'s change too. ${next}`);
}

function list(ids: readonly string[]): string {
  return ids.length <= 1 ? (ids[0] ?? '') : `${ids.slice(0, -1).join(', ')} and ${ids.at(-1) ?? ''}`;
}
