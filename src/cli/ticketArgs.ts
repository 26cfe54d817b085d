import { parseArgs } from 'node:util';
import { GitClient } from '../core/git/gitClient';
import type { ReviewableTicket } from '../core/session/reviewableTickets';
import { TicketNotReviewableError } from '../core/session/reviewErrors';
import { TicketDecisions } from '../core/session/ticketDecisions';
import type { DecisionLockHolder } from '../core/store/decisionLock';
import type { ChangedFile } from '../core/session/ticketChanges';
import type { CliIo } from './cliIo';
import { stderrLogger } from './stderrLogger';
import { storageFolder } from './storageFolder';
import { cliGitHubAccess } from './ticketSourceOptions';
import { UsageError } from './usageError';

export interface TicketCommandArgs {
  readonly decisions: TicketDecisions;
  readonly ticket: ReviewableTicket;
  readonly file: string | undefined;
  readonly message: string | undefined;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

type ExtraOptions = Record<string, { type: 'string' | 'boolean' }>;

/**
 * `--storage DIR [--batch ID] TICKET` and the command's own flags, resolved to one finished ticket.
 * A ticket run by several batches needs --batch (the error lists them); a rejected one has no branch
 * left to act on, so it only counts when its batch is named.
 */
export async function ticketCommandArgs(command: string, args: string[], io: CliIo, extra: ExtraOptions = {}): Promise<TicketCommandArgs> {
  const parsed = parseArgs({ args, options: { storage: { type: 'string' }, batch: { type: 'string' }, ...extra }, strict: true, allowPositionals: true });
  const positionals = parsed.positionals;
  const values: Readonly<Record<string, string | boolean | undefined>> = parsed.values;
  const storage = typeof values.storage === 'string' ? values.storage : undefined;
  const batchId = typeof values.batch === 'string' ? values.batch : undefined;
  if (positionals.length !== 1) throw new UsageError(`${command} takes one ticket id (got ${positionals.length === 0 ? 'none' : positionals.join(' ')}); e.g. flotilla ${command} --storage DIR D2`);
  const ticketId = positionals[0] ?? '';
  // A decision waits for another one on the same batch (another accept, the editor); the terminal hears why it pauses.
  const onWait = (holder: DecisionLockHolder | null) => io.err(`flotilla ${command}: waiting for ${holder === null ? 'another decision' : `${holder.decision} (process ${holder.pid})`} on the same batch to finish`);
  const logger = stderrLogger((line) => io.err(line));
  // GitHub (pr, accept --comment) asks for the token only when it makes a call.
  const github = cliGitHubAccess(storageFolder(storage), logger, typeof values['github-repo'] === 'string' ? values['github-repo'] : undefined);
  const decisions = new TicketDecisions(storageFolder(storage), new GitClient(), logger, { decisionLock: { onWait }, github });
  let matches: ReviewableTicket[];
  try {
    matches = await decisions.find(ticketId, batchId);
  } catch (error) {
    if (error instanceof TicketNotReviewableError) throw new UsageError(`${error.message} See flotilla status --storage DIR for the batch's tickets.`);
    throw error;
  }
  const live = batchId === undefined ? matches.filter((t) => t.decision?.ticket !== 'rejected') : matches;
  if (live.length === 0) throw new UsageError(`${ticketId} was rejected in batch ${matches[0]?.batchId}; its branch is gone. Run it again in a new batch.`);
  if (live.length > 1) throw new UsageError(`${ticketId} finished in ${live.length} batches (${live.map((t) => t.batchId).join(', ')}): add --batch ID`);
  const ticket = live[0] as ReviewableTicket;
  const file = typeof values.file === 'string' ? values.file : undefined;
  const message = typeof values.message === 'string' ? values.message : undefined;
  return { decisions, ticket, file, message, values };
}

/** The file named by --file, as the ticket's change lists it. */
export async function changedFileOf(decisions: TicketDecisions, ticket: ReviewableTicket, path: string): Promise<ChangedFile> {
  const files = await decisions.changedFiles(ticket);
  const file = files.find((f) => f.path === path);
  if (!file) throw new UsageError(`${path} is not part of the change of ${ticket.ticketId}; its files: ${files.map((f) => f.path).join(', ') || 'none'}`);
  return file;
}
