import { readRecords, readResumeInfo, type ResumeInfo } from '../store/batchExtra';
import type { StoredBatch, StoredTicket } from '../store/batchState';
import type { Logger } from '../logger';
import { acquireBatchLock, BatchLockedError, type BatchLock, type BatchLockOptions } from '../store/batchLock';
import { BatchStateStore, type LoadedBatch } from '../store/batchStateStore';
import type { StoreProblem } from '../store/storeProblem';
import type { StoredBudget } from '../store/batchExtra';
import { readBatchBudget } from './batchBudget';
import type { TicketRecord } from './batchTypes';
import { isResumable, oneLineReason } from './finalStates';

/** Why a batch cannot be resumed; the message says what to do instead. */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
}

/** One ticket of a resume: whether it is kept or runs again, and why, in a few words. */
export interface ResumeStep {
  readonly id: string;
  readonly why: string;
}

export interface ResumePlan {
  readonly state: StoredBatch;
  readonly info: ResumeInfo;
  readonly baseCommit: string;
  /** Tickets kept as they are: done, or failed on their own merits (and what they block). */
  readonly finished: readonly string[];
  readonly kept: readonly ResumeStep[];
  /** The kept tickets' records: dependents build on them, reports keep them. */
  readonly previous: readonly TicketRecord[];
  /** Tickets that run again, in the batch's order. */
  readonly remaining: readonly string[];
  readonly rerun: readonly ResumeStep[];
  /** The batch's stored budget; a resume applies it (resumeBudget in batchBudget.ts). */
  readonly budget: StoredBudget;
}

/** Reasons are shown one per line under the resume's first line: a few words, never a paragraph. */
const MAX_WHY_CHARS = 100;

/**
 * A reason cut to its first two clauses: "stopped by budget: The batch budget of $0.011 would be
 * crossed" without the figures after it (the batch's summary and state.json keep the full text).
 */
function short(text: string): string {
  const line = oneLineReason(text).split(': ').slice(0, 2).join(': ');
  return line.length > MAX_WHY_CHARS ? `${line.slice(0, MAX_WHY_CHARS - 1)}…` : line;
}

type Verdict = { readonly rerun: boolean; readonly why: string };

function verdictFor(stored: StoredTicket, record: TicketRecord | undefined): Verdict {
  const detail = record?.detail || stored.reason || '';
  switch (stored.status) {
    case 'done':
      return { rerun: false, why: 'done' };
    case 'running':
    case 'reviewing':
      return { rerun: true, why: 'cut off while running: its process stopped' };
    case 'queued':
      return stored.interruptions > 0 || record?.state === 'running' || record?.state === 'reviewing'
        ? { rerun: true, why: 'cut off while running: its process stopped' }
        : { rerun: true, why: 'had not started' };
    case 'cancelled':
      return { rerun: true, why: 'cancelled before it finished' };
    case 'failed':
    case 'blocked': {
      const rerun = isResumable({ state: stored.status, resumable: record?.resumable });
      const what = detail ? short(detail) : stored.status;
      return { rerun, why: rerun || stored.status === 'blocked' ? what : `failed on its own: ${what}` };
    }
  }
}

/**
 * What a resume keeps and what it runs again, from the batch's stored state (issue 11 item 3): done
 * tickets and tickets that failed on their own merits are kept; tickets that never finished
 * (queued, cut off, cancelled) and tickets a stop from outside ended (a budget limit, the model
 * unreachable, retries spent — marked `resumable` in their record) run again. The same plan serves
 * the CLI's `resume` and the editor's Resume Batch.
 */
export function planResume(state: StoredBatch): ResumePlan {
  const info = readResumeInfo(state);
  if (info === null) throw new ResumeError(`batch ${state.id} has no resume information (it was not started by this version of Flotilla)`);
  if (!state.baseCommit) throw new ResumeError(`batch ${state.id} stopped before it recorded its base commit; start it again`);
  const { records } = readRecords(state);
  const kept: ResumeStep[] = [];
  const rerun: ResumeStep[] = [];
  const previous: TicketRecord[] = [];
  for (const id of state.ticketIds) {
    const record = records.get(id);
    const verdict = verdictFor(state.tickets[id] as StoredTicket, record);
    (verdict.rerun ? rerun : kept).push({ id, why: verdict.why });
    if (!verdict.rerun && record) previous.push(record);
  }
  return { state, info, baseCommit: state.baseCommit, finished: kept.map((k) => k.id), kept, previous, remaining: rerun.map((r) => r.id), rerun, budget: readBatchBudget(state) };
}

/** The lines a resume says before it starts: what it keeps, then one line per ticket it runs again. */
export function describeResume(plan: ResumePlan): string[] {
  const kept = plan.kept.map((k) => `${k.id} ${k.why === 'done' ? 'done' : k.why.startsWith('blocked') ? 'blocked' : 'failed'}`);
  return [
    `resuming batch ${plan.state.id}: ${plan.kept.length} finished ticket(s) kept (${kept.join(', ') || 'none'}), running ${plan.remaining.join(', ')}`,
    ...plan.rerun.map((r) => `  ${r.id} runs again: ${r.why}`),
  ];
}

/** Whether a batch has tickets a resume would run (and the information to run them). */
function hasWorkLeft(state: StoredBatch): boolean {
  try {
    return planResume(state).rerun.length > 0;
  } catch (error) {
    if (error instanceof ResumeError) return false;
    throw error;
  }
}

/**
 * Batches a resume can continue, newest first: cut off by a crash, or ended (Ctrl-C, a budget stop,
 * the model unreachable) with tickets left to run. Batches still running in a live process are not.
 */
export async function resumableBatches(store: BatchStateStore, report: (problem: StoreProblem) => void = () => undefined): Promise<LoadedBatch[]> {
  const list = await store.list();
  list.problems.forEach(report);
  return list.batches.filter((b) => (b.interrupted || b.state.status !== 'running') && hasWorkLeft(b.state));
}

/** A batch whose state says running in a live process: refused like a held lock (a batch of a version without locks). */
function refuseIfLive(loaded: LoadedBatch): void {
  const { state } = loaded;
  if (state.status !== 'running' || loaded.interrupted || !state.owner) return;
  throw new BatchLockedError(state.id, { pid: state.owner.pid, hostname: state.owner.hostname, purpose: 'run', acquiredAt: state.owner.processStartedAt });
}

/**
 * The batch to resume: the named one, or the newest one with tickets left to run (a batch running
 * right now included: its lock then refuses the resume, naming the process, rather than a quiet pick
 * of an older batch).
 */
export async function pickResumableBatch(store: BatchStateStore, batchId: string | undefined, report: (problem: StoreProblem) => void = () => undefined): Promise<LoadedBatch> {
  let picked: LoadedBatch | undefined;
  if (batchId !== undefined) {
    picked = (await store.load(batchId)) ?? undefined;
    if (!picked) throw new ResumeError(`no batch ${batchId} in this storage folder`);
  } else {
    const list = await store.list();
    list.problems.forEach(report);
    picked = list.batches.find((b) => hasWorkLeft(b.state));
    if (!picked) throw new ResumeError('no batch with tickets left to run in this storage folder: every batch ran to its end');
  }
  return picked;
}

export interface OpenedResume {
  readonly plan: ResumePlan;
  /** Held until the caller has run the plan (runRecorded takes it as `resume.lock`); release it on every path. */
  readonly lock: BatchLock;
}

/**
 * Opens a resume for either front end (issue 11 item 4): picks the batch, takes its lock — so a
 * second resume of it refuses instead of running and paying for the same tickets — and only then
 * plans from the state as it is now, under the lock. Throws ResumeError or BatchLockedError.
 */
export async function openResume(input: {
  readonly storage: string;
  readonly batchId?: string;
  readonly logger?: Logger;
  readonly report?: (problem: StoreProblem) => void;
  readonly lockOptions?: Omit<BatchLockOptions, 'purpose'>;
}): Promise<OpenedResume> {
  const store = new BatchStateStore({ storage: input.storage, logger: input.logger, probe: input.lockOptions?.probe, clock: input.lockOptions?.clock });
  const picked = await pickResumableBatch(store, input.batchId, input.report);
  const lock = await acquireBatchLock(input.storage, picked.state.id, { ...input.lockOptions, purpose: 'resume' });
  try {
    const now = await store.load(picked.state.id);
    if (!now) throw new ResumeError(`batch ${picked.state.id} is no longer in this storage folder`);
    refuseIfLive(now);
    return { plan: planResume(now.state), lock };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
