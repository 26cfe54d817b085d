import { statfs } from 'node:fs/promises';
import { describeFsCode, storageFaultIn } from '../fsFailure';
import type { UsageRecord } from '../llm/usageRecord';
import type { Logger } from '../logger';
import { StoreError } from './storageErrors';

/**
 * Storage stopped taking writes in the middle of a batch: the disk or quota is full, the file system
 * went read-only, permission was taken away. The batch stopped (nothing it did could be kept); this
 * names the path and what to do. Its final state was written where the disk allowed (SpaceReserve).
 */
export class StorageFaultError extends StoreError {
  override readonly name = 'StorageFaultError';
  readonly nextStep: string;
  /** The same words serve the terminal (as the batch's other stop reasons can have their own). */
  readonly terminalNextStep?: string;

  constructor(
    readonly path: string,
    readonly code: string,
    cause?: unknown,
  ) {
    super(`${path}: ${describeFsCode(code)}; the batch stopped.`, { cause });
    const fix = code === 'ENOSPC' || code === 'EDQUOT' ? 'Free space on that disk' : 'Make that folder writable again';
    this.nextStep = `${fix} (or choose another storage folder), then resume the batch: its finished tickets are kept.`;
  }

  static is(error: unknown): error is StorageFaultError {
    return error instanceof Error && error.name === 'StorageFaultError';
  }
}

/** Free space below which a write that failed for no stated reason is taken for a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

/**
 * The first storage fault of one batch run, reported by whoever met it — the state writer, the ledger,
 * a worker's transcript, git making a worktree — and the batch's reaction to it (stop), so a full disk
 * ends the batch once, cleanly, with one message, instead of failing each ticket and each write on its
 * own. Usage records the ledger could not take are held here to be written once space is freed.
 */
export class StorageFaults {
  private first: StorageFaultError | undefined;
  private readonly listeners = new Set<(fault: StorageFaultError) => void>();
  private readonly held: UsageRecord[] = [];

  constructor(private readonly logger: Logger) {}

  get fault(): StorageFaultError | undefined {
    return this.first;
  }

  /**
   * Whether `error` is (or wraps) a storage fault. The first one is kept, logged once, and stops the
   * batch (the listeners run); later ones only answer true. `where` names the file being written
   * when the error itself does not (a write's ENOSPC carries no path).
   */
  report(error: unknown, where: string): boolean {
    const failure = storageFaultIn(error);
    if (failure === undefined) return false;
    if (this.first === undefined) {
      this.first = StorageFaultError.is(error) ? error : new StorageFaultError(failure.path ?? where, failure.code, error);
      // The front end says it once, when the batch has stopped (the error the run ends with).
      this.logger.debug(`storage fault, stopping the batch: ${this.first.message}`);
      for (const listener of this.listeners) listener(this.first);
    }
    return true;
  }

  /**
   * report(), and for an error that does not say why (git prints "unable to write file x" without the
   * system's reason when a checkout meets a full disk), a look at the disk: with less than
   * NEARLY_FULL_BYTES free where `folder` is, the failure is taken for a full disk there.
   */
  async reportOrProbe(error: unknown, folder: string): Promise<boolean> {
    if (this.report(error, folder)) return true;
    const free = await statfs(folder).then((s) => s.bavail * s.bsize, () => undefined);
    return free !== undefined && free < NEARLY_FULL_BYTES && this.report(new StorageFaultError(folder, 'ENOSPC', error), folder);
  }

  /** Runs `listener` on the first fault (at once if there was one already); returns how to stop listening. */
  onFault(listener: (fault: StorageFaultError) => void): () => void {
    if (this.first) listener(this.first);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A billed call's record the ledger could not take: written once the reserve has freed some space. */
  hold(record: UsageRecord): void {
    this.held.push(record);
  }

  takeHeld(): UsageRecord[] {
    return this.held.splice(0);
  }
}
