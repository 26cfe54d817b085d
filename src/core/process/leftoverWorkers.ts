import { listProcesses, type ProcessStat } from './processStat';
import type { WorkerProcess } from './workerProcesses';

/** A recorded worker that was still running, and how many processes ended with it. */
export interface EndedWorker {
  readonly worker: WorkerProcess;
  readonly processes: number;
}

/**
 * Ends the worker processes a dead holder of a batch lock left running (same host only; the caller
 * checks), before their worktrees are used again. A recorded group counts as still the same while
 * its leader runs with the recorded start time, or while the leader is gone and members remain (the
 * kernel does not hand out a pid that is still some group's id); a group whose id now belongs to a
 * process started later is someone else's and is left alone. Its members and everything below them
 * (Claude Code runs its shell commands in groups of their own) get SIGKILL, twice, to catch a child
 * born in between.
 */
export async function endLeftoverWorkers(workers: readonly WorkerProcess[], list: () => Promise<ProcessStat[]> = listProcesses): Promise<EndedWorker[]> {
  const ended: EndedWorker[] = [];
  for (let pass = 0; pass < 2; pass++) {
    const all = await list();
    for (const worker of workers) {
      const targets = leftoverTree(worker, all);
      for (const pid of targets) signal(pid);
      if (targets.length > 0) signal(-worker.pgid);
      if (pass === 0 && targets.length > 0) ended.push({ worker, processes: targets.length });
    }
    if (ended.length === 0) return ended;
    if (pass === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return ended;
}

/** The still-running processes of a recorded worker's group and their descendants; empty when the group is gone or not its own any more. */
export function leftoverTree(worker: WorkerProcess, all: readonly ProcessStat[]): number[] {
  // Never a whole-system or init's group, nor this process's own group (a hand-edited lock file).
  const own = all.find((p) => p.pid === process.pid);
  if (worker.pgid <= 1 || worker.pgid === own?.pgid) return [];
  const members = all.filter((p) => p.pgid === worker.pgid);
  const leader = members.find((p) => p.pid === worker.pgid);
  if (leader && worker.startTicks !== null && leader.startTicks !== worker.startTicks) return [];
  if (members.length === 0) return [];
  const children = new Map<number, number[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const out = new Set<number>();
  const queue = members.map((m) => m.pid);
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (out.has(pid)) continue;
    out.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  out.delete(process.pid);
  return [...out];
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // ESRCH: already gone; EPERM: not ours to end.
  }
}
