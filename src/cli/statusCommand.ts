import { parseArgs } from 'node:util';
import { ReportError } from '../core/report/reportErrors';
import { batchStatus, type TicketStatusLine } from '../core/session/batchStatus';
import { BatchStateStore } from '../core/store/batchStateStore';
import type { CliIo } from './cliIo';
import { errorMessage } from '../core/errorText';
import { refreshPullRequests } from '../core/session/pullRequests';
import { stderrLogger } from './stderrLogger';
import { cliGitHubAccess, githubTokenFromEnv } from './ticketSourceOptions';
import { storageFolder } from './storageFolder';
import { formatUsd } from '../core/vocabulary/amounts';
import { table } from './textTable';
import { EXIT, UsageError } from './usageError';

/**
 * `flotilla status --storage DIR [--batch ID] [--json]`: the batch's tickets (default: the newest
 * batch) with their lifecycle — awaiting review, accepted, rejected, failed with the reason — what
 * each cost, and the next command for those awaiting a decision.
 */
export async function statusCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { storage: { type: 'string' }, batch: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true, allowPositionals: false });
  const storage = storageFolder(values.storage);
  const logger = stderrLogger((line) => io.err(line));
  const store = new BatchStateStore({ storage, logger });
  let view;
  try {
    view = await batchStatus(store, storage, values.batch);
    // Open pull requests are asked about (merged? closed?) when a token is at hand; a failure is a warning.
    if (view.tickets.some((t) => t.pullRequest?.state === 'open') && githubTokenFromEnv() !== undefined) {
      try {
        await refreshPullRequests(store, cliGitHubAccess(storage, logger), [view.id]);
        view = await batchStatus(store, storage, view.id);
      } catch (error) {
        io.err(`warning: the pull requests' state could not be refreshed from GitHub: ${errorMessage(error)}`);
      }
    }
  } catch (error) {
    if (error instanceof ReportError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    io.out(JSON.stringify(view, null, 2));
    return EXIT.ok;
  }
  io.out(`batch ${view.id} · ${view.status} · ${view.mode}${view.simulated ? ' · simulated (nothing billed)' : ''} · ${view.tickets.length} ticket(s) · ${formatUsd(view.costUsd)}`);
  if (view.unknownOutcomesText !== null) io.out(`also ${view.unknownOutcomesText}`);
  io.out(table(['ticket', 'state', 'tiers', 'cost', 'title'], view.tickets.map((t) => [t.id, stateCell(t), t.tierPath.join(' → ') || '—', formatUsd(t.costUsd), t.title])));
  const waiting = view.tickets.filter((t) => t.state === 'awaitingReview');
  if (waiting.length > 0) {
    const first = waiting[0]!.id;
    io.out(`\n${waiting.length} awaiting review: flotilla diff --storage ${storage} --batch ${view.id} ${first}, then accept or reject (same flags)`);
  }
  return EXIT.ok;
}

function stateCell(t: TicketStatusLine): string {
  if (t.pullRequest && t.state === 'awaitingReview') return `PR ${t.pullRequest.state} #${t.pullRequest.number} ${t.pullRequest.url}`;
  if (t.state === 'accepted') return t.into ? `accepted into ${t.into}` : 'accepted';
  const files = Object.entries(t.files);
  if (t.state === 'awaitingReview' && files.length > 0) return `${t.stateLabel} (${files.length} file(s) decided)`;
  if ((t.state === 'failed' || t.state === 'blocked' || t.state === 'cancelled' || t.state === 'interrupted') && t.reason) return `${t.stateLabel}: ${t.reason}`;
  return t.stateLabel;
}
