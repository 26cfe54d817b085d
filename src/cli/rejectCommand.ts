import type { CliIo } from './cliIo';
import { changedFileOf, ticketCommandArgs } from './ticketArgs';
import { EXIT } from './usageError';

/**
 * `flotilla reject --storage DIR [--batch ID] TICKET [--file PATH]`: drops the ticket's change (its
 * worktree and branch are removed; transcript, review and costs stay), or one file of it (reverted
 * on the ticket branch so a later accept leaves it out).
 */
export async function rejectCommand(args: string[], io: CliIo): Promise<number> {
  const { decisions, ticket, file } = await ticketCommandArgs('reject', args, io, { file: { type: 'string' } });
  const label = `${ticket.ticketId} (batch ${ticket.batchId})`;
  if (file !== undefined) {
    const commit = await decisions.rejectFile(ticket, await changedFileOf(decisions, ticket, file));
    io.out(commit === null ? `${file} of ${label} already matched its base; nothing to revert` : `rejected ${file} of ${label}: reverted on ${ticket.branch} (commit ${commit.slice(0, 12)})`);
    return EXIT.ok;
  }
  await decisions.reject(ticket);
  io.out(`rejected ${label}: worktree and branch ${ticket.branch} removed; its transcript and costs stay in storage`);
  return EXIT.ok;
}
