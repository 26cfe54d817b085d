import { errorMessage } from '../errorText';
import type { GitClient } from '../git/gitClient';
import { removeTicketWorktree } from '../git/worktrees';
import { loadTickets } from '../tickets/loadTickets';
import { setTicketStatus } from '../tickets/setTicketStatus';
import type { ReviewableTicket } from './reviewableTickets';

/**
 * The steps after an accept's merge. None can undo it, so a problem is reported beside the outcome
 * rather than thrown: the ticket stays accepted.
 */
export interface TicketMarkedDone {
  /** The ticket's file, when its `status:` is now done; null with a problem saying why not. */
  readonly ticketFile: string | null;
  /** The commit on the branch that brought the ticket in: the merge commit, with the status line folded in when it could be. */
  readonly commit: string | null;
  readonly problems: readonly string[];
}

/**
 * Sets `status: done` in the ticket's file (that value only, checked by reading the file back) and,
 * when the file is tracked and has no change of the user's, folds it into Flotilla's merge commit so
 * accepting leaves a clean tree. Amending replaces the merge commit: the one to report and store is
 * the branch's HEAD afterwards, never the commit made before.
 */
export async function markTicketDone(git: GitClient, ticket: ReviewableTicket, ticketsFolder: string, mergeCommit: string | null): Promise<TicketMarkedDone> {
  // A ticket made from a GitHub issue has no file: the issue stays as it is (a comment is opt-in, pullRequests.ts).
  if (ticket.issue) return { ticketFile: null, commit: mergeCommit, problems: [] };
  try {
    const file = (await loadTickets(ticketsFolder)).tickets.find((t) => t.id === ticket.ticketId)?.file;
    if (file === undefined) return { ticketFile: null, commit: mergeCommit, problems: [`no ticket file with id ${ticket.ticketId} in ${ticketsFolder}, so no status was set`] };
    const foldIn = mergeCommit !== null && (await canFoldIntoMerge(git, ticket.repoRoot, file, mergeCommit));
    await setTicketStatus(file, 'done');
    if (!foldIn) return { ticketFile: file, commit: mergeCommit, problems: [] };
    await git.run(ticket.repoRoot, ['commit', '--amend', '--no-edit', '--no-verify', '--quiet', '--only', '--', file]);
    return { ticketFile: file, commit: await git.value(ticket.repoRoot, ['rev-parse', 'HEAD']), problems: [] };
  } catch (error) {
    // The merge stands; if the amend itself failed, HEAD is still the merge commit.
    const head = mergeCommit === null ? null : await git.value(ticket.repoRoot, ['rev-parse', 'HEAD']).catch(() => mergeCommit);
    return { ticketFile: null, commit: head, problems: [`the ticket file's status could not be set: ${errorMessage(error)}`] };
  }
}

/**
 * Only when HEAD is the merge just made and the file is tracked with no change of the user's in it:
 * amending with --only then adds exactly the status line, never anything the user staged.
 */
async function canFoldIntoMerge(git: GitClient, repoRoot: string, file: string, mergeCommit: string): Promise<boolean> {
  const head = await git.run(repoRoot, ['rev-parse', 'HEAD']);
  if (head.stdout.trim() !== mergeCommit) return false;
  const tracked = await git.run(repoRoot, ['ls-files', '--error-unmatch', '--', file], { okExitCodes: [1] });
  if (tracked.exitCode !== 0) return false;
  const changed = await git.run(repoRoot, ['status', '--porcelain', '--', file]);
  return changed.stdout.trim() === '';
}

/** Removes the ticket's worktree and branch; the transcript, the review and the costs stay in storage. */
export async function removeTicketWork(git: GitClient, ticket: ReviewableTicket): Promise<{ readonly cleanedUp: boolean; readonly problems: readonly string[] }> {
  try {
    await removeTicketWorktree(git, ticket.repoRoot, { path: ticket.worktree, branch: ticket.branch }, { deleteBranch: true });
    return { cleanedUp: true, problems: [] };
  } catch (error) {
    return { cleanedUp: false, problems: [`its worktree ${ticket.worktree} or branch ${ticket.branch} could not be removed: ${errorMessage(error)}`] };
  }
}
