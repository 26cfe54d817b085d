import { z } from 'zod';
import type { StoredBatch } from '../store/batchState';
import type { BatchStateStore, LoadedBatch } from '../store/batchStateStore';
import type { StoreProblem } from '../store/storeProblem';
import type { TicketRecord } from './batchTypes';

/** Why a batch cannot be resumed; the message says what to do instead. */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
}

const resumeInfoSchema = z.object({
  repoRoot: z.string(),
  mode: z.string(),
  tier: z.string(),
  simulated: z.boolean(),
  picks: z.record(z.string(), z.string()).default({}),
});

export interface ResumePlan {
  readonly state: StoredBatch;
  readonly info: z.infer<typeof resumeInfoSchema>;
  readonly baseCommit: string;
  /** Finished tickets (done, failed, cancelled): kept as they are. */
  readonly finished: readonly string[];
  readonly previous: readonly TicketRecord[];
  /** Tickets that run again: queued, or cut off while running. */
  readonly remaining: readonly string[];
}

/** The batch to resume: the named one, or the newest interrupted one. */
export async function pickResumableBatch(store: BatchStateStore, batchId: string | undefined, report: (problem: StoreProblem) => void = () => undefined): Promise<LoadedBatch> {
  if (batchId !== undefined) {
    const loaded = await store.load(batchId);
    if (!loaded) throw new ResumeError(`no batch ${batchId} in this storage folder`);
    if (loaded.state.status === 'running' && !loaded.interrupted) throw new ResumeError(`batch ${batchId} is still running (pid ${loaded.state.owner?.pid ?? '?'}); stop it first`);
    return loaded;
  }
  const list = await store.list();
  list.problems.forEach(report);
  const candidate = list.batches.find((b) => b.interrupted || b.state.status === 'interrupted');
  if (!candidate) throw new ResumeError('no interrupted batch to resume in this storage folder');
  return candidate;
}

/** What a resume keeps and what it runs again, from the batch's stored state. */
export function planResume(state: StoredBatch): ResumePlan {
  const info = resumeInfoSchema.safeParse((state.extra as { resume?: unknown }).resume);
  if (!info.success) throw new ResumeError(`batch ${state.id} has no resume information (it was not started by this version of Flotilla)`);
  if (!state.baseCommit) throw new ResumeError(`batch ${state.id} stopped before it recorded its base commit; start it again`);
  const records = (state.extra as { records?: Record<string, TicketRecord> }).records ?? {};
  const finished = state.ticketIds.filter((id) => ['done', 'failed', 'cancelled'].includes(state.tickets[id]?.status ?? ''));
  return {
    state,
    info: info.data,
    baseCommit: state.baseCommit,
    finished,
    previous: finished.flatMap((id) => (records[id] ? [records[id]] : [])),
    remaining: state.ticketIds.filter((id) => !finished.includes(id)),
  };
}
