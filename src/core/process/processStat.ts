import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** What Linux's /proc/<pid>/stat says about a process (the fields Flotilla needs). */
export interface ProcessStat {
  readonly pid: number;
  readonly ppid: number;
  /** Its process group. */
  readonly pgid: number;
  /** Start time in clock ticks since boot: with the pid, it names one process across pid reuse. */
  readonly startTicks: number;
  /** `Z` for a zombie (dead, waiting for its parent to read its status). */
  readonly state: string;
}

/** Parses one stat line: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so fields are counted after the last ')'. */
export function parseProcessStat(pid: number, text: string): ProcessStat | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, ppid, pgid] = [fields[0], Number(fields[1]), Number(fields[2])];
  const startTicks = Number(fields[19]);
  if (state === undefined || !Number.isSafeInteger(ppid) || !Number.isSafeInteger(pgid) || !Number.isSafeInteger(startTicks)) return null;
  return { pid, ppid, pgid, startTicks, state };
}

/** A process's stat, or null where /proc does not tell (not Linux, no such pid). */
export function readProcessStat(pid: number): ProcessStat | null {
  try {
    return parseProcessStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** The start time of a process in clock ticks since boot, or null where /proc does not tell. */
export function linuxStartTicks(pid: number): number | null {
  return readProcessStat(pid)?.startTicks ?? null;
}

/** Every live process (zombies left out) that /proc lists; empty where there is no /proc. */
export async function listProcesses(): Promise<ProcessStat[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const stats = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map(async (e) => {
      const text = await readFile(`/proc/${e}/stat`, 'utf8').catch(() => null);
      return text === null ? null : parseProcessStat(Number(e), text);
    }),
  );
  return stats.filter((s): s is ProcessStat => s !== null && s.state !== 'Z');
}
