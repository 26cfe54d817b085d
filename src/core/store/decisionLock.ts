import { randomUUID } from 'node:crypto';
import { link, lstat, mkdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { fsFailureOf } from '../fsFailure';
import { linuxStartTicks } from '../process/processStat';
import { isNotFound } from './atomicJson';
import { DEFAULT_STALE_AFTER_MS, isOwnerGone, nodeProcessProbe, type ProcessProbe } from './processLiveness';
import { asStoragePathError, StoreError } from './storageErrors';
import { batchDir } from './storagePaths';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');

/** `batches/<id>/decisions.lock`: who is deciding on one of the batch's tickets right now. */
const holderSchema = z.object({
  v: z.literal(1),
  batchId: z.string(),
  /** What it is doing, for the one who waits: "accept D1". */
  decision: z.string(),
  pid: z.number().int().positive(),
  hostname: z.string(),
  processStartedAt: isoTime,
  processStartTicks: z.number().int().nonnegative().nullable(),
  acquiredAt: isoTime,
  token: z.string(),
});
export type DecisionLockHolder = z.infer<typeof holderSchema>;

export const decisionLockFile = (storage: string, batchId: string): string => join(batchDir(storage, batchId), 'decisions.lock');

/** Another decision on the same batch held the lock for longer than this one would wait. */
export class DecisionInProgressError extends StoreError {
  override readonly name = 'DecisionInProgressError';
  readonly nextStep = 'Try again when it has finished.';

  constructor(
    readonly batchId: string,
    readonly holder: DecisionLockHolder | null,
    waitedMs: number,
  ) {
    const who = holder === null ? 'its lock file could not be read' : `${holder.decision}, by process ${holder.pid}${holder.hostname === nodeProcessProbe.hostname ? '' : ` on ${holder.hostname}`} since ${holder.acquiredAt}`;
    super(`batch ${batchId}: another decision is still being made (${who}); waited ${Math.round(waitedMs / 1000)} s and changed nothing.`);
  }

  static is(error: unknown): error is DecisionInProgressError {
    return error instanceof Error && error.name === 'DecisionInProgressError';
  }
}

/** The lock's path holds something Flotilla did not put there (a folder, a link, a pipe): waiting would never end. */
export class DecisionLockPathError extends StoreError {
  override readonly name = 'DecisionLockPathError';
  readonly nextStep = 'Remove it; Flotilla makes the lock file itself when a decision starts.';

  constructor(readonly path: string, kind: string) {
    super(`${path} is ${kind}, not Flotilla's lock file for decisions.`);
  }

  static is(error: unknown): error is DecisionLockPathError {
    return error instanceof Error && error.name === 'DecisionLockPathError';
  }
}

export interface DecisionLockOptions {
  /** How long a decision waits for another one before it gives up (default 60 s). */
  readonly waitMs?: number;
  readonly pollMs?: number;
  /** Told once, when this decision has to wait, who it waits for. */
  readonly onWait?: (holder: DecisionLockHolder | null) => void;
  readonly probe?: ProcessProbe;
  readonly clock?: () => number;
  readonly staleAfterMs?: number;
}

const WAIT_MS = 60_000;
const POLL_MS = 100;
const REFRESH_MS = 10_000;
/** A lock file nobody can read that is older than this was left half-made: it is replaced. */
const UNREADABLE_STALE_MS = 10_000;

/**
 * Runs `task` while holding the batch's decision lock, so decisions on one batch never interleave —
 * two `flotilla accept` processes, or the editor and a CLI. Across processes it is a file, placed
 * whole with a hard link (which fails if one exists); a holder whose process is gone (same host: no
 * such process, or its pid reused; another host: not refreshed for `staleAfterMs`) is replaced, one
 * taker at a time. A decision waits at most `waitMs`, then DecisionInProgressError names the holder.
 */
export async function withDecisionLock<T>(storage: string, batchId: string, decision: string, task: () => Promise<T>, options: DecisionLockOptions = {}): Promise<T> {
  const probe = options.probe ?? nodeProcessProbe;
  const clock = options.clock ?? Date.now;
  const file = decisionLockFile(storage, batchId);
  const dir = batchDir(storage, batchId);
  await mkdir(dir, { recursive: true }).catch((error: unknown) => Promise.reject(asStoragePathError(error, dir)));
  const mine: DecisionLockHolder = {
    v: 1,
    batchId,
    decision,
    pid: probe.pid,
    hostname: probe.hostname,
    processStartedAt: new Date(probe.startedAtMs).toISOString(),
    processStartTicks: probe === nodeProcessProbe ? linuxStartTicks(probe.pid) : null,
    acquiredAt: new Date(clock()).toISOString(),
    token: randomUUID(),
  };
  const started = clock();
  let told = false;
  for (;;) {
    if (await place(file, mine)) break;
    const current = await readHolder(file);
    if (current === 'gone') continue;
    const holder = current === 'unreadable' ? null : current.holder;
    const gone = current === 'unreadable' ? clock() - (await modifiedAtMs(file)) > UNREADABLE_STALE_MS : isGone(current.holder, current.refreshedAtMs, probe, clock(), options.staleAfterMs);
    if (gone) {
      await removeStale(file, holder?.token ?? null);
      continue;
    }
    if (clock() - started >= (options.waitMs ?? WAIT_MS)) throw new DecisionInProgressError(batchId, holder, clock() - started);
    if (!told) options.onWait?.(holder);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? POLL_MS));
  }
  // The file's time is the heartbeat another host goes by; a decision is short, but a question to the user is not.
  const refresh = setInterval(() => {
    const now = new Date();
    void utimes(file, now, now).catch(() => undefined);
  }, REFRESH_MS);
  refresh.unref();
  try {
    return await task();
  } finally {
    clearInterval(refresh);
    // The decision is made by now; a lock file that cannot be removed must not turn it into a failure (a later decision names it).
    await release(file, mine.token).catch(() => undefined);
  }
}

function isGone(holder: DecisionLockHolder, refreshedAtMs: number, probe: ProcessProbe, nowMs: number, staleAfterMs = DEFAULT_STALE_AFTER_MS): boolean {
  // On Linux the start time in clock ticks tells a reused pid apart exactly.
  if (holder.hostname === probe.hostname && holder.pid !== probe.pid && holder.processStartTicks !== null && probe === nodeProcessProbe) {
    const ticks = linuxStartTicks(holder.pid);
    if (ticks !== null) return ticks !== holder.processStartTicks;
  }
  const owner = { pid: holder.pid, hostname: holder.hostname, processStartedAt: holder.processStartedAt, heartbeatAt: new Date(refreshedAtMs).toISOString() };
  return isOwnerGone(owner, probe, nowMs, staleAfterMs);
}

/** Writes the holder whole, then links it into place: true if the lock is ours, false if one exists. */
async function place(file: string, holder: DecisionLockHolder): Promise<boolean> {
  const temp = `${file}.${holder.pid}.${holder.token}.tmp`;
  await writeFile(temp, `${JSON.stringify(holder, null, 2)}\n`, { flag: 'wx' }).catch((error: unknown) => Promise.reject(asStoragePathError(error, temp)));
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if (fsFailureOf(error)?.code === 'EEXIST') return false;
    throw asStoragePathError(error, file);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

type HolderRead = { readonly holder: DecisionLockHolder; readonly refreshedAtMs: number } | 'unreadable' | 'gone';

async function readHolder(file: string): Promise<HolderRead> {
  try {
    // Checked before reading: opening a pipe would block, a folder or a link would never go away.
    const info = await lstat(file);
    if (!info.isFile()) throw new DecisionLockPathError(file, info.isDirectory() ? 'a folder' : info.isSymbolicLink() ? 'a symbolic link' : info.isFIFO() ? 'a named pipe' : 'not a plain file');
    const parsed = holderSchema.safeParse(safeJson(await readFile(file, 'utf8')));
    return parsed.success ? { holder: parsed.data, refreshedAtMs: info.mtimeMs } : 'unreadable';
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    throw asStoragePathError(error, file);
  }
}

async function modifiedAtMs(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.mtimeMs,
    () => 0,
  );
}

/**
 * Removes a lock whose holder is gone. Takers queue on `decisions.lock.takeover` (created
 * exclusively), and the one holding it removes the lock only if it is still the one it judged
 * stale, so a lock placed in the meantime by a live process is never removed.
 */
async function removeStale(file: string, staleToken: string | null): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    await writeFile(guard, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if (fsFailureOf(error)?.code !== 'EEXIST') throw asStoragePathError(error, guard);
    // A taker that died in the middle leaves its guard: it counts as gone after a while.
    if (Date.now() - (await modifiedAtMs(guard)) > UNREADABLE_STALE_MS) await unlink(guard).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return;
  }
  try {
    const now = await readHolder(file);
    const unchanged = now === 'unreadable' ? staleToken === null : now !== 'gone' && now.holder.token === staleToken;
    if (unchanged) await unlink(file).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(asStoragePathError(error, file))));
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

async function release(file: string, token: string): Promise<void> {
  try {
    const current = holderSchema.safeParse(safeJson(await readFile(file, 'utf8')));
    if (current.data?.token === token) await unlink(file);
  } catch (error) {
    if (!isNotFound(error)) throw asStoragePathError(error, file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
