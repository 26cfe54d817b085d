import { linuxStartTicks } from './processStat';

/** What a long-lived child of a batch is: a Claude Code worker, a gate, or an allow-listed command. */
export const WORKER_PROCESS_KINDS = ['claude', 'gate', 'command'] as const;
export type WorkerProcessKind = (typeof WORKER_PROCESS_KINDS)[number];

/** A worker process as the batch lock records it: the leader of its own process group. */
export interface WorkerProcess {
  readonly kind: WorkerProcessKind;
  readonly pid: number;
  /** Its process group (the child leads it: spawned detached). Killing the group ends what it started in it. */
  readonly pgid: number;
  /** Linux: its start time in clock ticks since boot, so a reused pid is never taken for it; null elsewhere. */
  readonly startTicks: number | null;
}

/**
 * The worker processes this process is running right now. One registry per process, not per batch:
 * processes are a property of the process that spawned them, and whoever holds a batch lock records
 * them all (batchLock.ts), so that a resume after a kill of this process can end what it left
 * running before it reuses the worktrees. Git commands are short and not recorded.
 */
export class WorkerProcessRegistry {
  private readonly running = new Map<number, WorkerProcess>();
  private readonly listeners = new Set<() => void>();

  /** Records a spawned group leader; returns the call that forgets it once it has exited. */
  started(kind: WorkerProcessKind, pid: number): () => void {
    this.running.set(pid, { kind, pid, pgid: pid, startTicks: linuxStartTicks(pid) });
    this.changed();
    return () => {
      if (this.running.delete(pid)) this.changed();
    };
  }

  list(): WorkerProcess[] {
    return [...this.running.values()];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Ends every recorded group at once, synchronously: for a process about to exit without its
   * cancel path (a second Ctrl-C), whose lock file goes with it.
   */
  killAllNow(): void {
    for (const w of this.running.values()) {
      try {
        process.kill(process.platform === 'win32' ? w.pid : -w.pgid, 'SIGKILL');
      } catch {
        // ESRCH: already gone.
      }
    }
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

export const workerProcesses = new WorkerProcessRegistry();
