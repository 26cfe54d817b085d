import type { TicketRecord } from '../batch/batchTypes';
import { diffNumstat, type NumstatEntry } from '../git/diff';
import type { GitClient } from '../git/gitClient';
import { formatUsd } from '../vocabulary/amounts';

/** What a Request Changes did, for the message shown when its fix loop has finished. */
export interface ChangeRequestReport {
  /** True when the ticket passed its gates and review again (it awaits review). */
  readonly passed: boolean;
  /** The files the fix loop changed, relative to the repository, with their line counts. */
  readonly changed: readonly NumstatEntry[];
  /** One or two sentences: how it ended and what changed. */
  readonly text: string;
}

/**
 * Compares the ticket's commit before the change request with the one after it: the files the fix
 * loop touched, not the whole ticket's change (which the review shows).
 */
export async function changeRequestReport(git: GitClient, repoRoot: string, before: { readonly ticketId: string; readonly commit: string | null }, after: TicketRecord): Promise<ChangeRequestReport> {
  const changed = before.commit !== null && after.commit !== null && after.commit !== before.commit ? await diffNumstat(git, repoRoot, { from: before.commit, to: after.commit }) : [];
  return { passed: after.state === 'done', changed, text: changeRequestText(before.ticketId, after, changed) };
}

/** "D3: your change request is done — the gates and review passed again ($0.012 in all). Changed: src/a.ts (+2 −1)." */
export function changeRequestText(ticketId: string, after: Pick<TicketRecord, 'state' | 'detail' | 'costUsd' | 'review'>, changed: readonly NumstatEntry[]): string {
  const cost = after.costUsd === null ? 'cost unknown' : `${formatUsd(after.costUsd)} in all`;
  const how =
    after.state === 'done'
      ? `your change request is done — ${after.review ? `${after.review.level} review ${after.review.result}` : 'its gates passed'} (${cost}).`
      : after.state === 'cancelled'
        ? `your change request was cancelled (${cost}).`
        : `your change request ended ${after.state}${after.detail ? `: ${after.detail}` : ''} (${cost}).`;
  const what = changed.length === 0 ? 'The agent changed no file.' : `Changed: ${changed.map(fileLine).join(', ')}.`;
  return `${ticketId}: ${how} ${what}`;
}

function fileLine(entry: NumstatEntry): string {
  return entry.added === null || entry.deleted === null ? `${entry.path} (binary)` : `${entry.path} (+${entry.added} −${entry.deleted})`;
}
