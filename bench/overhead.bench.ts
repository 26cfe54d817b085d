/**
 * Overhead (issue 15, `overhead`): Flotilla's own CPU time per ticket and its peak memory, on a
 * 100-ticket batch that every tier solves (one attempt per ticket). The simulated model runs in a
 * child process, so this process's CPU time (user + system, process.cpuUsage) is Flotilla alone:
 * routing, scheduling, prompt building, the SDK's HTTP and stream parsing, the agent loop and its
 * tools, reviews, the ledger, batch state and transcripts, including the cost of starting the git
 * and gate processes. Waiting on the model costs no CPU; what those processes themselves compute is
 * theirs, not counted here.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeBenchResult } from './benchResults';
import { loadCalibration, locateCalibrationFile } from './calibrationData';
import { runBenchBatch } from './kit/benchBatch';
import { benchTempDir } from './kit/benchTempDir';
import { makeBenchRepo } from './kit/benchRepo';
import { drawOracle, writeBenchTickets } from './kit/benchTickets';

const TICKETS = Number(process.env.BENCH_OVERHEAD_TICKETS ?? 100);

async function main(): Promise<void> {
  const located = locateCalibrationFile();
  if (located.file === null) throw new Error('calibration.jsonl not found (set FLOTILLA_CALIBRATION)');
  const dir = benchTempDir('flotilla-bench-overhead-');
  const child = { kill: () => undefined as unknown };
  try {
    const repo = makeBenchRepo(dir);
    const drawn = drawOracle(loadCalibration(located.file), repo, TICKETS);
    const oracle = drawn.oracle.map((o) => ({ ...o, solves: { fast: true, balanced: true, strong: true } }));
    const { tickets } = await writeBenchTickets(dir, drawn.rows, oracle);
    const input = join(dir, 'simulator.json');
    writeFileSync(input, JSON.stringify({ oracle, content: [...repo.content] }));
    const sim = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'kit', 'simulatorProcess.ts'), input], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.kill = () => sim.stdin.end();
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: sim.stdout }).once('line', resolve);
      sim.once('exit', (code) => reject(new Error(`simulator process exited (${code})`)));
    });
    // A two-ticket batch first, unmeasured: it loads (and, under tsx, compiles) every module the engine
    // uses, which the built extension or CLI would have loaded at start, not once per ticket.
    await runBenchBatch({ batchId: 'warmup', repo: repo.repo, storage: join(dir, 'warmup'), tickets: tickets.slice(0, 2), baseURL: url, mode: 'auto' });
    const rssBefore = process.memoryUsage().rss;
    const cpu = process.cpuUsage();
    const started = Date.now();
    const result = await runBenchBatch({ batchId: 'overhead', repo: repo.repo, storage: join(dir, 'storage'), tickets, baseURL: url, mode: 'auto' });
    const used = process.cpuUsage(cpu);
    const peakMb = process.resourceUsage().maxRSS / 1024;
    const cpuMsPerTicket = (used.user + used.system) / 1000 / TICKETS;
    const done = result.summary.tickets.filter((t) => t.state === 'done').length;
    console.log(
      `${TICKETS} tickets (${done} done, ${result.records.length} model calls) in ${((Date.now() - started) / 1000).toFixed(0)} s: Flotilla's CPU ${cpuMsPerTicket.toFixed(1)} ms per ticket ` +
        `(user ${(used.user / 1000 / TICKETS).toFixed(1)}, system ${(used.system / 1000 / TICKETS).toFixed(1)}); peak RSS ${peakMb.toFixed(0)} MB (${(rssBefore / 2 ** 20).toFixed(0)} MB before the batch)`,
    );
    writeBenchResult('overhead', { cpu_ms_per_ticket: cpuMsPerTicket, peak_rss_mb_100: peakMb, rss_before_batch_mb: rssBefore / 2 ** 20, model_calls: result.records.length, tickets_done: done }, 'overhead');
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
