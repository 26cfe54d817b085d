/**
 * What the sandbox costs per command (issue 20): `true` run through the plain process runner and
 * through the bubblewrap sandbox the gates and run_command use, interleaved one after the other so
 * both see the same load. Recorded in the overhead section beside the batch's CPU per ticket:
 * `plain_true_ms`, `sandbox_true_ms` (medians of wall time) and their difference,
 * `sandbox_overhead_ms`. Without bubblewrap on this machine the figures are null with the reason.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '../src/core/process/processRunner';
import { sandboxedRunner } from '../src/core/process/sandbox';
import { defaultBwrapPath, sandboxAvailability } from '../src/core/process/sandboxProbe';
import { writeBenchResult } from './benchResults';
import { benchTempDir } from './kit/benchTempDir';

const RUNS = 40;

async function main(): Promise<void> {
  const availability = await sandboxAvailability(defaultBwrapPath());
  if (!availability.available) {
    const reason = `no sandbox on this machine: ${availability.reason}`;
    writeBenchResult('overhead', { plain_true_ms: null, sandbox_true_ms: null, sandbox_overhead_ms: null }, 'sandbox', { sandbox_true_ms: reason, sandbox_overhead_ms: reason });
    console.log(`sandbox: not measured: ${reason}`);
    return;
  }
  // A worktree of a real repository, as a gate sees it (the sandbox reads its .git pointer).
  const base = benchTempDir('flotilla-bench-sandbox-');
  const repo = join(base, 'repo');
  const worktree = join(base, 'storage', 'worktrees', 'B1', 'T1');
  const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=B', '-c', 'user.email=b@b', ...args], { cwd, stdio: 'ignore' });
  execFileSync('mkdir', ['-p', repo]);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
  git(repo, 'worktree', 'add', '-q', '-b', 'b', worktree);
  const sandboxed = sandboxedRunner({ allowNetwork: false, allowUnsandboxed: false, hidden: [join(base, 'storage')] });
  const plain: number[] = [];
  const boxed: number[] = [];
  try {
    // One unmeasured run of each: the first spawn pays for loading what later ones find cached.
    await runProcess('true', [], { cwd: worktree });
    await sandboxed('true', [], { cwd: worktree });
    for (let i = 0; i < RUNS; i++) {
      plain.push(await timed(() => runProcess('true', [], { cwd: worktree })));
      boxed.push(await timed(() => sandboxed('true', [], { cwd: worktree })));
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const plainMs = median(plain);
  const boxedMs = median(boxed);
  writeBenchResult('overhead', { plain_true_ms: round(plainMs), sandbox_true_ms: round(boxedMs), sandbox_overhead_ms: round(boxedMs - plainMs) }, 'sandbox');
  console.log(`sandbox: \`true\` takes ${boxedMs.toFixed(1)} ms in the sandbox vs ${plainMs.toFixed(1)} ms plain (medians of ${RUNS}, interleaved): +${(boxedMs - plainMs).toFixed(1)} ms per gate or command`);
}

async function timed(run: () => Promise<{ exitCode: number | null }>): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await run();
  if (result.exitCode !== 0) throw new Error(`true exited ${result.exitCode}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
