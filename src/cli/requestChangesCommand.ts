import { cliSession } from './batchSession';
import { cancelOnSignals } from './cancelSignals';
import type { CliIo } from './cliIo';
import { cliSettings, warnWithoutSandbox } from './cliSettings';
import { ProgressDisplay } from './progressDisplay';
import { ticketCommandArgs } from './ticketArgs';
import { EXIT, UsageError } from './usageError';
import { formatUsd } from '../core/vocabulary/amounts';

/**
 * `flotilla request-changes --storage DIR [--batch ID] TICKET --message TEXT [--api-base URL]
 * [--simulate]`: a fix loop on a finished ticket with the reviewer's words, in its worktree, then the
 * gates and the review again. Its calls are metered in the same batch; the ticket's new state is
 * what `status` shows next.
 */
export async function requestChangesCommand(args: string[], io: CliIo): Promise<number> {
  const { ticket, decisions, message, values } = await ticketCommandArgs('request-changes', args, io, {
    message: { type: 'string' },
    'api-base': { type: 'string' },
    simulate: { type: 'boolean' },
  });
  if (message === undefined || message.trim() === '') throw new UsageError('--message TEXT is required: say what should change (e.g. --message "also handle empty input")');
  const apiBase = typeof values['api-base'] === 'string' ? values['api-base'] : undefined;
  const { session } = cliSession({ storage: decisions.storage, simulate: values.simulate === true, ...(apiBase === undefined ? {} : { apiBase }), io });
  const display = new ProgressDisplay(io, 'lines');
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller, io, 'the fix loop stops, the ticket keeps its last result');
  try {
    io.err(`requesting changes on ${ticket.ticketId} (batch ${ticket.batchId}): a fix loop with your message, then its gates and review`);
    const settings = cliSettings();
    await warnWithoutSandbox(io, settings);
    const record = await session.requestChanges(ticket.batchId, ticket.ticketId, message, settings, { signal: controller.signal, onEvent: (event) => display.onEvent(event) });
    const cost = record.costUsd === null ? 'cost unknown' : `${formatUsd(record.costUsd)} in all`;
    io.out(`${ticket.ticketId}: ${record.state}${record.detail ? ` — ${record.detail}` : ''} (${cost}); see flotilla diff --storage ${decisions.storage} --batch ${ticket.batchId} ${ticket.ticketId}`);
    return record.state === 'done' ? EXIT.ok : EXIT.ticketsFailed;
  } finally {
    display.stop();
    stopListening();
  }
}
