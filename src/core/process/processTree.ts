import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { listProcesses } from './processStat';

const run = promisify(execFile);

/**
 * Every process below `pid` (children, grandchildren …), found from the kernel's parent links:
 * /proc on Linux, `ps` elsewhere. A process that re-parents itself away (a double fork) is not found;
 * programs that start their own process groups (Claude Code's shell) are.
 */
export async function descendantPids(pid: number): Promise<number[]> {
  const parents = await parentLinks();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), child]);
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/**
 * Ends a process and everything it started: the tree is read first, then every member and the
 * leader's process group get SIGKILL, twice (a child born between the read and the kill is caught
 * by the second pass).
 */
export async function killProcessTree(pid: number): Promise<void> {
  if (process.platform === 'win32') {
    await run('taskkill', ['/pid', String(pid), '/T', '/F']).catch(() => undefined);
    return;
  }
  for (let pass = 0; pass < 2; pass++) {
    const tree = await descendantPids(pid).catch(() => [] as number[]);
    for (const target of [pid, ...tree]) signal(target, 'SIGKILL');
    signal(-pid, 'SIGKILL');
    if (pass === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: already gone, which is the goal.
  }
}

async function parentLinks(): Promise<Map<number, number>> {
  const links = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const stat of await listProcesses()) links.set(stat.pid, stat.ppid);
    return links;
  }
  if (process.platform === 'win32') return links;
  const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid=']);
  for (const line of stdout.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined && Number.isInteger(pid) && Number.isInteger(ppid)) links.set(pid, ppid);
  }
  return links;
}
