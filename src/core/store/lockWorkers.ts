import { rename, unlink, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { WORKER_PROCESS_KINDS, type WorkerProcess, type WorkerProcessRegistry } from '../process/workerProcesses';
import { readRegularFile } from './regularFile';

/** A worker process as lock.json lists it (`workers`, added in issue 20 item 4). */
export const lockedWorkerSchema = z.object({
  kind: z.enum(WORKER_PROCESS_KINDS),
  pid: z.number().int().min(2),
  pgid: z.number().int().min(2),
  startTicks: z.number().int().nonnegative().nullable(),
});

export interface LockWorkerRecorder {
  /** Stops recording and waits for a rewrite in flight, so none lands after the lock is removed. */
  stop(): Promise<void>;
}

/**
 * Keeps the `workers` of a held lock file equal to the processes this process runs (the registry):
 * rewritten whole (temp file + rename, so a reader sees the old list or the new one) whenever one
 * starts or ends, one rewrite at a time, only while the file is still ours. If this process is
 * killed, the next holder of the lock ends what it left running (leftoverWorkers.ts). Best effort:
 * a failed rewrite leaves the previous list, it does not stop the batch. The file is read without
 * blocking or following a link (a FIFO or link put in its place is not ours: `oddShapeNextStep`).
 */
export function recordWorkersInLock<H extends { readonly token: string; readonly pid: number }>(
  file: string,
  holder: H,
  isMine: (text: string | undefined) => boolean,
  registry: WorkerProcessRegistry,
  oddShapeNextStep: string,
): LockWorkerRecorder {
  let dirty = false;
  let writing: Promise<void> | null = null;
  let stopped = false;
  const rewrite = async (workers: readonly WorkerProcess[]): Promise<void> => {
    if (!isMine((await readRegularFile(file, oddShapeNextStep))?.text)) return;
    const temp = `${file}.${holder.pid}.${holder.token}.workers.tmp`;
    await writeFile(temp, `${JSON.stringify({ ...holder, workers }, null, 2)}\n`);
    await rename(temp, file).catch(async (error: unknown) => {
      await unlink(temp).catch(() => undefined);
      throw error;
    });
  };
  const flush = async (): Promise<void> => {
    while (dirty && !stopped) {
      dirty = false;
      await rewrite(registry.list()).catch(() => undefined);
    }
    writing = null;
  };
  const schedule = () => {
    if (stopped) return;
    dirty = true;
    writing ??= flush();
  };
  const unsubscribe = registry.onChange(schedule);
  if (registry.list().length > 0) schedule();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      await writing;
    },
  };
}
