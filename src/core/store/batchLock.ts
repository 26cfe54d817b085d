import { randomUUID } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, lutimes, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { errorMessage } from '../errorText';
import { hasFsCode, isNotFound, isStorageFault } from '../fsFailure';
import { endLeftoverWorkers, type EndedWorker } from '../process/leftoverWorkers';
import { linuxStartTicks } from '../process/processStat';
import { workerProcesses, type WorkerProcessRegistry } from '../process/workerProcesses';
import { lockedWorkerSchema, recordWorkersInLock } from './lockWorkers';
import { DEFAULT_STALE_AFTER_MS, isOwnerGone, nodeProcessProbe, type ProcessProbe } from './processLiveness';
import { expectRegularOrAbsent, readRegularFile, readRegularFileSync } from './regularFile';
import { asStoragePathError, StoreError } from './storageErrors';
import { batchDir } from './storagePaths';

/** What holds a batch: a run, a resume, or a change request on one of its tickets. */
export type BatchLockPurpose = 'run' | 'resume' | 'change request';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');

/** `batches/<id>/lock.json`: who holds the batch (owner pid and start time, as state.json's owner). */
const lockFileSchema = z.object({
  v: z.literal(1),
  batchId: z.string(),
  purpose: z.enum(['run', 'resume', 'change request']),
  pid: z.number().int().positive(),
  hostname: z.string(),
  processStartedAt: isoTime,
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat), exact where wall clocks drift. */
  processStartTicks: z.number().int().nonnegative().nullable().default(null),
  acquiredAt: isoTime,
  /** Tells this holder's lock from a later one of the same pid. */
  token: z.string(),
  /** The worker processes (Claude Code, gates, commands) the holder runs, kept current (lockWorkers.ts). */
  workers: z.array(lockedWorkerSchema).default([]),
});
export type BatchLockHolder = z.infer<typeof lockFileSchema>;

export const batchLockFile = (storage: string, batchId: string): string => join(batchDir(storage, batchId), 'lock.json');

/** The batch is held by a live process: a second run or resume of it must not start. */
export class BatchLockedError extends StoreError {
  override readonly name = 'BatchLockedError';
  readonly nextStep = 'Wait for it to end, or stop that process first.';

  constructor(
    readonly batchId: string,
    readonly holder: Pick<BatchLockHolder, 'pid' | 'hostname' | 'purpose' | 'acquiredAt'>,
  ) {
    const where = holder.hostname === nodeProcessProbe.hostname ? '' : ` on ${holder.hostname}`;
    const doing = holder.purpose === 'run' ? 'run' : holder.purpose === 'resume' ? 'resumed' : 'changed (a change request)';
    super(`batch ${batchId} is being ${doing} by process ${holder.pid}${where} since ${holder.acquiredAt}.`);
  }
}

/** Someone else has been taking over the same stale lock for longer than a takeover takes. */
export class StaleLockBusyError extends StoreError {
  override readonly name = 'StaleLockBusyError';
  readonly nextStep = 'Try again in a moment.';

  constructor(readonly batchId: string) {
    super(`batch ${batchId}: another process is taking over its stale lock.`);
  }
}

export interface BatchLock {
  readonly batchId: string;
  /** The holder of a stale lock (its process is gone) that this one replaced; null when the batch was free. */
  readonly tookOverFrom: BatchLockHolder | 'unreadable' | null;
  /** Worker processes that holder left running, ended before this lock was handed out. */
  readonly endedLeftovers: readonly EndedWorker[];
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

export interface BatchLockOptions {
  readonly purpose: BatchLockPurpose;
  readonly probe?: ProcessProbe;
  readonly clock?: () => number;
  /** How long a holder on another host (or a reused pid) may go without refreshing before it counts as gone. */
  readonly staleAfterMs?: number;
  /** How often the holder refreshes the lock file's time (its heartbeat). */
  readonly refreshMs?: number;
  /** Reads a process's start ticks (Linux /proc); injected by tests. */
  readonly startTicksOf?: (pid: number) => number | null;
  /** The worker processes recorded in the lock while it is held; default: this process's. */
  readonly workers?: WorkerProcessRegistry;
}

const REFRESH_MS = 10_000;
/** A takeover in progress that is older than this was left by a process that died in the middle of it. */
const TAKEOVER_STALE_MS = 10_000;
/** How long to wait for a takeover someone else is doing before giving up. */
const TAKEOVER_WAIT_MS = 5_000;

/**
 * Takes `batches/<id>/lock.json` for this process, atomically (the file is written whole, then
 * hard-linked into place, which fails if it exists), or throws BatchLockedError naming the live
 * holder. A lock whose process is gone (same host: no such pid, or a pid reused by another process;
 * another host: not refreshed for `staleAfterMs`) is taken over, one taker at a time. The lock is
 * refreshed while held and removed by `release()` or, at the latest, when this process exits.
 */
export async function acquireBatchLock(storage: string, batchId: string, options: BatchLockOptions): Promise<BatchLock> {
  const probe = options.probe ?? nodeProcessProbe;
  const clock = options.clock ?? Date.now;
  const startTicksOf = options.startTicksOf ?? linuxStartTicks;
  const file = batchLockFile(storage, batchId);
  const dir = batchDir(storage, batchId);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => Promise.reject(asStoragePathError(error, dir)));
  const mine: BatchLockHolder = {
    v: 1,
    batchId,
    purpose: options.purpose,
    pid: probe.pid,
    hostname: probe.hostname,
    processStartedAt: new Date(probe.startedAtMs).toISOString(),
    processStartTicks: probe === nodeProcessProbe ? startTicksOf(probe.pid) : null,
    acquiredAt: new Date(clock()).toISOString(),
    token: randomUUID(),
    workers: [],
  };
  const held = (tookOverFrom: BatchLock['tookOverFrom'], endedLeftovers: readonly EndedWorker[] = []) =>
    heldLock(file, mine, { tookOverFrom, endedLeftovers }, options.refreshMs ?? REFRESH_MS, options.workers ?? workerProcesses);
  const isGone = (holder: BatchLockHolder, refreshedAtMs: number): boolean => {
    if (holder.hostname === probe.hostname && holder.processStartTicks !== null && holder.pid !== probe.pid) {
      const ticks = startTicksOf(holder.pid);
      if (ticks !== null || !probe.isAlive(holder.pid)) return ticks !== holder.processStartTicks;
    }
    const owner = { pid: holder.pid, hostname: holder.hostname, processStartedAt: holder.processStartedAt, heartbeatAt: new Date(refreshedAtMs).toISOString() };
    return isOwnerGone(owner, probe, clock(), options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  };

  const deadline = clock() + TAKEOVER_WAIT_MS;
  // A folder, link or FIFO at the lock path is refused up front: a link could make the lock follow a
  // file outside storage, and a dangling one or a FIFO made the loop below spin or block (issue 20).
  await expectRegularOrAbsent(file, oddLockNextStep(file));
  await expectRegularOrAbsent(`${file}.takeover`, oddLockNextStep(`${file}.takeover`));
  for (;;) {
    if (await placeLock(file, mine)) return held(null);
    const current = await readHolder(file);
    if (current === 'gone') continue;
    if (current !== 'unreadable' && !isGone(current.holder, current.refreshedAtMs)) throw new BatchLockedError(batchId, current.holder);
    const took = await takeOver(file, current === 'unreadable' ? null : current.holder, mine);
    if (took === 'taken') {
      if (current === 'unreadable') return held('unreadable');
      // What the dead holder left running goes before its worktrees are used again (same host only).
      return held(current.holder, current.holder.hostname === probe.hostname ? await endLeftoverWorkers(current.holder.workers) : []);
    }
    if (took === 'busy' && clock() > deadline) throw new StaleLockBusyError(batchId);
    if (took === 'busy') await new Promise((r) => setTimeout(r, 50));
  }
}

/** Writes the lock whole, then links it into place: true if it is ours, false if the file exists. */
async function placeLock(file: string, holder: BatchLockHolder): Promise<boolean> {
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  const temp = `${file}.${holder.pid}.${holder.token}.tmp`;
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if (hasFsCode(error, 'EEXIST')) return false;
    // File systems without hard links: O_EXCL on the lock itself (a reader may see it empty for a moment).
    if (!hasFsCode(error, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV')) throw error;
    try {
      await writeFile(file, text, { flag: 'wx' });
      return true;
    } catch (exclusive) {
      if (hasFsCode(exclusive, 'EEXIST')) return false;
      throw exclusive;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

type HolderRead = { holder: BatchLockHolder; refreshedAtMs: number } | 'unreadable' | 'gone';

async function readHolder(file: string): Promise<HolderRead> {
  const read = await readRegularFile(file, oddLockNextStep(file));
  if (read === undefined) return 'gone';
  const parsed = lockFileSchema.safeParse(safeJson(read.text));
  return parsed.success ? { holder: parsed.data, refreshedAtMs: read.mtimeMs } : 'unreadable';
}

/** What to do about something that is not a lock file at a lock's path. */
function oddLockNextStep(path: string): string {
  return `If no Flotilla process is running this batch, remove it (rm -r '${path}') and try again.`;
}

/**
 * Replaces a stale lock. Takers queue on `lock.json.takeover` (created exclusively), and the one
 * holding it removes the lock only if it is still the stale one it saw, so a fresh lock placed in the
 * meantime is never removed.
 */
async function takeOver(file: string, stale: BatchLockHolder | null, mine: BatchLockHolder): Promise<'taken' | 'busy' | 'retry'> {
  const guard = `${file}.takeover`;
  try {
    await writeFile(guard, `${mine.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if (!hasFsCode(error, 'EEXIST')) throw error;
    await expectRegularOrAbsent(guard, oddLockNextStep(guard));
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > TAKEOVER_STALE_MS) await unlink(guard).catch(() => undefined);
    return 'busy';
  }
  try {
    const now = await readHolder(file);
    const unchanged = now === 'unreadable' ? stale === null : now !== 'gone' && stale !== null && now.holder.token === stale.token;
    if (!unchanged) return 'retry';
    await unlink(file).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)));
    return (await placeLock(file, mine)) ? 'taken' : 'retry';
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

function heldLock(file: string, mine: BatchLockHolder, takeover: Pick<BatchLock, 'tookOverFrom' | 'endedLeftovers'>, refreshMs: number, workers: WorkerProcessRegistry): BatchLock {
  const isMine = (text: string | undefined): boolean => text !== undefined && lockFileSchema.safeParse(safeJson(text)).data?.token === mine.token;
  const recorder = recordWorkersInLock(file, mine, isMine, workers, oddLockNextStep(file));
  // The last word on every exit path, even process.exit() after a second Ctrl-C: a synchronous removal
  // (of our own lock only: read without blocking, so a FIFO put in its place cannot hang the exit).
  const onExit = () => {
    try {
      if (isMine(readRegularFileSync(file, oddLockNextStep(file)))) unlinkSync(file);
    } catch {
      // Already gone, replaced by something else, or the folder went away: nothing of ours to release.
    }
  };
  process.on('exit', onExit);
  const refresh = setInterval(() => {
    const now = new Date();
    // lutimes: a link put in the lock's place is not followed to touch a file elsewhere.
    void lutimes(file, now, now).catch(() => undefined);
  }, refreshMs);
  refresh.unref();
  let released = false;
  return {
    batchId: mine.batchId,
    ...takeover,
    async release() {
      if (released) return;
      released = true;
      clearInterval(refresh);
      process.off('exit', onExit);
      await recorder.stop();
      try {
        if (isMine((await readRegularFile(file, oddLockNextStep(file)))?.text)) await unlink(file);
      } catch (error) {
        // Storage that turned read-only or full keeps the file: it names this process, which is gone
        // by the time anyone looks, so the next run or resume takes it over. Not worth a crash.
        if (isStorageFault(error)) return;
        throw new Error(`could not release the lock of batch ${mine.batchId}: ${errorMessage(error)}`, { cause: error });
      }
    },
  };
}

/** One line for the user when a lock was taken over: whose, and why that was safe. */
export function describeTakeover(lock: BatchLock): string | undefined {
  const from = lock.tookOverFrom;
  if (from === null) return undefined;
  if (from === 'unreadable') return `batch ${lock.batchId}: its lock file could not be read; replaced it`;
  const ended = lock.endedLeftovers.length === 0 ? '' : `; ended what it left running: ${lock.endedLeftovers.map((e) => `${e.worker.kind} (pid ${e.worker.pid}${e.processes > 1 ? `, ${e.processes} processes` : ''})`).join(', ')}`;
  return `batch ${lock.batchId}: took over the lock of process ${from.pid}${from.hostname === nodeProcessProbe.hostname ? '' : ` on ${from.hostname}`} (a ${from.purpose} since ${from.acquiredAt}), which is no longer running${ended}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
