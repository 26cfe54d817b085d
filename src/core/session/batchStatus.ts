import { buildBatchReport } from '../report/buildBatchReport';
import { NoBatchesError, UnknownBatchError } from '../report/reportErrors';
import { readPullRequests, type PullRequestRecord, type PullRequestState } from '../store/batchExtra';
import type { BatchStateStore } from '../store/batchStateStore';
import { describeUnknownOutcomes } from '../report/budgetStatus';
import { batchUnknownOutcomes } from '../store/ledgerReader';
import type { UnknownOutcomes } from '../store/openReservations';
import { LIFECYCLE_LABELS, type TicketLifecycle } from '../vocabulary/ticketStates';
import { batchLifecycles } from './ticketLifecycle';

/** One ticket's line of `flotilla status` (the JSON shape is `--json`'s output). */
export interface TicketStatusLine {
  readonly id: string;
  readonly title: string;
  readonly state: TicketLifecycle;
  readonly stateLabel: string;
  /** Why it failed, is blocked or was stopped (from the stored state); null otherwise. */
  readonly reason: string | null;
  readonly tierPath: readonly string[];
  readonly costUsd: number | null;
  readonly branch: string | null;
  /** The branch an accepted ticket was merged into; files decided one by one. */
  readonly into: string | null;
  readonly files: Readonly<Record<string, 'accepted' | 'rejected'>>;
  /** Its pull request (Open Pull Request), with its state as GitHub last said; null when none was opened. */
  readonly pullRequest: { readonly number: number; readonly url: string; readonly state: PullRequestState } | null;
}

export interface BatchStatusView {
  readonly id: string;
  readonly status: string;
  readonly mode: string;
  readonly simulated: boolean;
  readonly createdAt: string;
  readonly costUsd: number | null;
  /** Calls of the batch a kill left without a usage record (open reservations): not in costUsd. */
  readonly unknownOutcomes: UnknownOutcomes;
  /** describeUnknownOutcomes of them ("outcome unknown, at most $X …"); null when there are none. */
  readonly unknownOutcomesText: string | null;
  readonly tickets: readonly TicketStatusLine[];
}

/**
 * Where a batch stands (default: the newest): each ticket's lifecycle, decision and cost, and the
 * calls whose outcome is unknown, from the ledger in `globalStorage` (the CLI's one storage folder).
 */
export async function batchStatus(store: BatchStateStore, storage: string, batchId?: string, globalStorage: string = storage): Promise<BatchStatusView> {
  const { batches } = await store.list();
  const chosen = batchId === undefined ? batches[0] : batches.find((b) => b.state.id === batchId);
  if (chosen === undefined) {
    if (batchId === undefined) throw new NoBatchesError(storage);
    throw new UnknownBatchError(batchId, batches.map((b) => b.state.id));
  }
  const state = chosen.interrupted ? { ...chosen.state, status: 'interrupted' as const } : chosen.state;
  const { unknown } = await batchUnknownOutcomes(globalStorage, state.id, state.createdAt);
  const { report } = buildBatchReport(state, new Map(), unknown);
  const rows = new Map(report.tickets.map((t) => [t.id, t]));
  const pullRequests = readPullRequests(state);
  return {
    id: state.id,
    status: state.status,
    mode: report.mode,
    simulated: report.simulated,
    createdAt: state.createdAt,
    costUsd: report.totals.costUsd,
    unknownOutcomes: unknown,
    unknownOutcomesText: describeUnknownOutcomes(unknown),
    tickets: batchLifecycles(state).map((entry) => {
      const row = rows.get(entry.ticketId);
      return {
        id: entry.ticketId,
        title: row?.title ?? '',
        state: entry.state,
        stateLabel: LIFECYCLE_LABELS[entry.state],
        reason: entry.reason,
        tierPath: row?.tierPath ?? [],
        costUsd: row?.costUsd ?? entry.costUsd,
        branch: entry.branch,
        into: entry.decision?.into ?? null,
        files: entry.decision?.files ?? {},
        pullRequest: pullRequestOf(pullRequests[entry.ticketId]),
      };
    }),
  };
}

function pullRequestOf(record: PullRequestRecord | undefined): TicketStatusLine['pullRequest'] {
  return record ? { number: record.number, url: record.url, state: record.state } : null;
}
