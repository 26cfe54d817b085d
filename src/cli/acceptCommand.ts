import { describeOverlaps } from '../core/session/acceptTicket';
import { describeMerge } from '../core/session/ticketDecisions';
import type { CliIo } from './cliIo';
import { changedFileOf, ticketCommandArgs } from './ticketArgs';
import { EXIT } from './usageError';

/**
 * `flotilla accept --storage DIR [--batch ID] TICKET [--file PATH]`: merges the ticket (or one file
 * of it) into the repository's current branch. The merge is simulated first; a conflict exits 4
 * naming the files with the repository untouched. A conflict with another accepted ticket that is
 * not yet in the current branch is refused too (the editor asks; a script cannot answer).
 */
export async function acceptCommand(args: string[], io: CliIo): Promise<number> {
  const { decisions, ticket, file, values } = await ticketCommandArgs('accept', args, io, { file: { type: 'string' }, comment: { type: 'boolean' } });
  const label = `${ticket.ticketId} (batch ${ticket.batchId})`;
  if (file !== undefined) {
    const outcome = await decisions.acceptFile(ticket, await changedFileOf(decisions, ticket, file));
    if (outcome.kind === 'refused') return conflict(io, outcome.message, outcome.files);
    io.out(outcome.kind === 'committed' ? `accepted ${file} of ${label}: commit ${outcome.commit.slice(0, 12)} on ${outcome.into}` : `${file} of ${label} already matches ${outcome.into}; nothing to do`);
    return EXIT.ok;
  }
  let overlaps = '';
  const outcome = await decisions.accept(ticket, async (warnings) => {
    overlaps = describeOverlaps(warnings);
    return false;
  });
  if (outcome.kind === 'refused') return conflict(io, outcome.message, outcome.files);
  if (outcome.kind === 'cancelled') {
    return conflict(io, `${label} merges cleanly into the current branch but conflicts with other accepted tickets not merged there yet: ${overlaps}. Merge or reject those first.`, []);
  }
  io.out(`accepted ${label}: ${describeMerge(outcome)}`);
  if (values.comment === true) {
    if (!ticket.issue) io.err(`flotilla accept: ${ticket.ticketId} is not a GitHub issue, so --comment has nothing to comment on`);
    const { url, problem } = await decisions.commentOnAccept(ticket, { into: outcome.into, commit: outcome.kind === 'merged' ? outcome.commit : null });
    if (url) io.out(`commented on issue #${ticket.issue?.number ?? ''}: ${url}`);
    if (problem) io.err(`flotilla accept: accepted, but ${problem}`);
  }
  return EXIT.ok;
}

function conflict(io: CliIo, message: string, files: readonly string[]): number {
  io.err(`flotilla accept: ${message}${files.length > 0 && !files.every((f) => message.includes(f)) ? ` (files: ${files.join(', ')})` : ''} Nothing was changed.`);
  return EXIT.conflict;
}
