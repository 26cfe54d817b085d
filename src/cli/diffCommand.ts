import type { CliIo } from './cliIo';
import { changedFileOf, ticketCommandArgs } from './ticketArgs';
import { EXIT } from './usageError';

/** `flotilla diff --storage DIR [--batch ID] TICKET [--file PATH]`: the ticket's change as `git diff` prints it. */
export async function diffCommand(args: string[], io: CliIo): Promise<number> {
  const { decisions, ticket, file } = await ticketCommandArgs('diff', args, io, { file: { type: 'string' } });
  const path = file === undefined ? undefined : (await changedFileOf(decisions, ticket, file)).path;
  const diff = await decisions.diff(ticket, path);
  if (diff.trim() === '') io.err(`${ticket.ticketId} (batch ${ticket.batchId}) changes nothing against its base commit`);
  else io.out(diff.replace(/\n$/, ''));
  return EXIT.ok;
}
