import { readdir } from 'node:fs/promises';
import { silentLogger, type Logger } from '../logger';
import { isNotFound, readJsonFile, writeJsonAtomic } from './atomicJson';
import { storedBatchSchema, interruptedState, newBatchState, type StoredBatch, type NewBatch } from './batchState';
import { checkWritable } from './checkWritable';
import { KeyedMutex } from './keyedMutex';
import { DEFAULT_STALE_AFTER_MS, isOwnerGone, nodeProcessProbe, ownerFor, type ProcessProbe } from './processLiveness';
import { asStoragePathError, BatchExistsError, BatchNotFoundError } from './storageErrors';
import type { StoreProblem } from './storeProblem';
import { batchDir, batchesDir, batchStateFile } from './storagePaths';
import { errorMessage } from '../errorText';

export interface BatchStateStoreOptions {
  /** Workspace storage folder; states go to `<storage>/batches/<id>/state.json`. */
  storage: string;
  clock?: () => number;
  probe?: ProcessProbe;
  staleAfterMs?: number;
  logger?: Logger;
}

export interface LoadedBatch {
  readonly state: StoredBatch;
  /** Says running, but its owner is gone: show as interrupted and offer a resume. */
  readonly interrupted: boolean;
}

export interface BatchList {
  readonly batches: readonly LoadedBatch[];
  /** Corrupt state files that were quarantined. */
  readonly problems: readonly StoreProblem[];
}

/**
 * Batch state on disk, one `state.json` per batch, always replaced atomically. `update` serialises
 * read-modify-write per batch within this process; across processes the owner (pid + heartbeat) is
 * the only writer of a running batch, and `claim` is how a resume takes a batch over.
 */
export class BatchStateStore {
  private readonly mutex = new KeyedMutex();
  private readonly clock: () => number;
  private readonly probe: ProcessProbe;
  private readonly staleAfterMs: number;
  private readonly logger: Logger;

  constructor(private readonly options: BatchStateStoreOptions) {
    this.clock = options.clock ?? Date.now;
    this.probe = options.probe ?? nodeProcessProbe;
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.logger = options.logger ?? silentLogger;
  }

  /** Starts a batch owned by this process. Fails with StorageNotWritableError before anything runs. */
  async create(batch: NewBatch): Promise<StoredBatch> {
    const dir = batchDir(this.options.storage, batch.id);
    return this.mutex.run(batch.id, async () => {
      await checkWritable(dir);
      const existing = await readJsonFile(batchStateFile(this.options.storage, batch.id), storedBatchSchema, this.clock);
      if (existing.kind === 'ok') throw new BatchExistsError(batch.id);
      const now = this.clock();
      const state = newBatchState(batch, ownerFor(this.probe, now), new Date(now).toISOString());
      await this.write(state);
      return state;
    });
  }

  /** The batch, or null when it does not exist or its state was corrupt (then quarantined and logged). */
  async load(id: string): Promise<LoadedBatch | null> {
    const result = await readJsonFile(batchStateFile(this.options.storage, id), storedBatchSchema, this.clock);
    if (result.kind === 'quarantined') this.logger.warn(formatQuarantine(result.problem));
    return result.kind === 'ok' ? this.withInterrupted(result.value) : null;
  }

  /**
   * Applies `change` to the current state and writes the result atomically. Calls for one batch run
   * one after another in call order, so concurrent workers never lose each other's updates.
   */
  async update(id: string, change: (state: StoredBatch) => StoredBatch): Promise<StoredBatch> {
    return this.mutex.run(id, async () => {
      const current = await this.loadOrThrow(id);
      const next = storedBatchSchema.parse(change(structuredClone(current)));
      const stamped = { ...next, updatedAt: this.laterOf(current.updatedAt) };
      await this.write(stamped);
      return stamped;
    });
  }

  /** Refreshes the owner's heartbeat (call every ~30 s while the batch runs). */
  heartbeat(id: string): Promise<StoredBatch> {
    return this.update(id, (s) => (s.owner === null ? s : { ...s, owner: { ...s.owner, heartbeatAt: new Date(this.clock()).toISOString() } }));
  }

  /** Marks the batch interrupted: running tickets go back to the queue, finished ones stay as they are. */
  markInterrupted(id: string): Promise<StoredBatch> {
    return this.update(id, (s) => interruptedState(s, new Date(this.clock()).toISOString()));
  }

  /** Takes a batch over for a resume: this process becomes its owner and it runs again. */
  claim(id: string): Promise<StoredBatch> {
    return this.update(id, (s) => ({ ...s, status: 'running', owner: ownerFor(this.probe, this.clock()) }));
  }

  /** Every batch in storage, newest first; corrupt state files are quarantined and reported. */
  async list(): Promise<BatchList> {
    let ids: string[];
    try {
      ids = (await readdir(batchesDir(this.options.storage), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (error) {
      if (isNotFound(error)) return { batches: [], problems: [] };
      throw asStoragePathError(error, batchesDir(this.options.storage));
    }
    const batches: LoadedBatch[] = [];
    const problems: StoreProblem[] = [];
    for (const id of ids) {
      let result;
      try {
        result = await readJsonFile(batchStateFile(this.options.storage, id), storedBatchSchema, this.clock);
      } catch (error) {
        problems.push({ file: id, message: `unreadable: ${errorMessage(error)}` });
        continue;
      }
      if (result.kind === 'ok') batches.push(this.withInterrupted(result.value));
      else if (result.kind === 'quarantined') problems.push(result.problem);
    }
    batches.sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt));
    return { batches, problems };
  }

  /** On opening storage: marks every batch whose owner is gone as interrupted and returns them. */
  async recoverInterrupted(): Promise<BatchList> {
    const { batches, problems } = await this.list();
    const recovered: LoadedBatch[] = [];
    for (const b of batches) {
      if (b.interrupted) recovered.push({ state: await this.markInterrupted(b.state.id), interrupted: true });
    }
    return { batches: recovered, problems };
  }

  private withInterrupted(state: StoredBatch): LoadedBatch {
    const interrupted =
      state.status === 'interrupted' || (state.status === 'running' && (state.owner === null || isOwnerGone(state.owner, this.probe, this.clock(), this.staleAfterMs)));
    return { state, interrupted };
  }

  private async loadOrThrow(id: string): Promise<StoredBatch> {
    const result = await readJsonFile(batchStateFile(this.options.storage, id), storedBatchSchema, this.clock);
    if (result.kind === 'quarantined') this.logger.warn(formatQuarantine(result.problem));
    if (result.kind !== 'ok') throw new BatchNotFoundError(id);
    return result.value;
  }

  /** Never moves `updatedAt` backwards, whatever the wall clock does. */
  private laterOf(previousIso: string): string {
    return new Date(Math.max(Date.parse(previousIso), this.clock())).toISOString();
  }

  private write(state: StoredBatch): Promise<void> {
    return writeJsonAtomic(batchStateFile(this.options.storage, state.id), state);
  }
}

function formatQuarantine(problem: StoreProblem): string {
  return `Batch state ${problem.file} was unreadable (${problem.message}); moved to ${problem.movedTo ?? '?'}.`;
}
