import type { CliIo } from './cliIo';
import { ticketCommandArgs } from './ticketArgs';
import { EXIT } from './usageError';

/**
 * `flotilla pr [--storage DIR] [--batch ID] TICKET [--github-repo OWNER/NAME]`: pushes the ticket's
 * branch to origin (with your own git credentials) and opens a pull request whose body carries the
 * verdict, the gates, the cost and, for an issue, `Closes #n`. A ticket with an open pull request
 * answers with it. The token comes from GITHUB_TOKEN or GH_TOKEN; a batch of issues knows its
 * repository, a batch of ticket files uses origin's (or --github-repo).
 */
export async function prCommand(args: string[], io: CliIo): Promise<number> {
  const { decisions, ticket } = await ticketCommandArgs('pr', args, io, { 'github-repo': { type: 'string' } });
  const { kind, pullRequest } = await decisions.openPullRequest(ticket);
  const label = `${ticket.ticketId} (batch ${ticket.batchId})`;
  io.out(kind === 'opened' ? `opened pull request #${pullRequest.number} for ${label}: ${pullRequest.url}` : `${label} already has pull request #${pullRequest.number} (${pullRequest.state}): ${pullRequest.url}`);
  return EXIT.ok;
}
