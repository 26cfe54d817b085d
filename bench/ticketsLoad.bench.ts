// Parsing 5,000 ticket files and building the tree model (issue: target under 1 s on this machine);
// recorded as editor.tickets_5000_ms (the Tickets tree's data side, as the tree's getChildren runs it).
// Prints the median of several runs, and beside it, measured in the same run, the time just to read
// the same files — so the ratio says what parsing and validation cost on top of the I/O.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { groupByStatus } from '../src/core/tickets/groupByStatus';
import { loadTickets } from '../src/core/tickets/loadTickets';
import { writeBenchResult } from './benchResults';
import { benchTempDir } from './kit/benchTempDir';

const COUNT = Number(process.env.BENCH_TICKETS ?? 5000);
const RUNS = 7;
const STATUSES = ['open', 'in-progress', 'review', 'done'];

function makeTickets(dir: string): void {
  for (let i = 0; i < COUNT; i++) {
    const sub = join(dir, `area${i % 20}`);
    if (i < 20) mkdirSync(sub, { recursive: true });
    const deps = i > 0 && i % 3 === 0 ? `dependsOn: [T${i - 1}]\n` : '';
    writeFileSync(
      join(sub, `T${i}.md`),
      `---\nid: T${i}\ntitle: Ticket number ${i} with a realistic title length\nlabels: [area${i % 20}, kind${i % 5}]\npriority: ${(i % 5) + 1}\n${deps}files: [src/module${i % 50}/file${i}.ts]\nacceptance:\n  - It compiles\n  - Tests pass\nstatus: ${STATUSES[i % 4]}\n---\n${'A paragraph of description text. '.repeat(12)}\n`,
    );
  }
}

async function readAll(dir: string): Promise<number> {
  let bytes = 0;
  for (const sub of readdirSync(dir)) {
    const files = readdirSync(join(dir, sub));
    const contents = await Promise.all(files.map((f) => readFile(join(dir, sub, f))));
    bytes += contents.reduce((n, b) => n + b.length, 0);
  }
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const dir = benchTempDir('flotilla-bench-tickets-');
  try {
    makeTickets(dir);
    const load: number[] = [];
    const loadCpu: number[] = [];
    const raw: number[] = [];
    let tickets = 0;
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      await readAll(dir);
      raw.push(performance.now() - started);
      started = performance.now();
      const cpu = process.cpuUsage();
      const set = await loadTickets(dir);
      const groups = groupByStatus(set.tickets);
      load.push(performance.now() - started);
      const used = process.cpuUsage(cpu);
      loadCpu.push((used.user + used.system) / 1000);
      tickets = groups.reduce((n, g) => n + g.tickets.length, 0);
      if (set.problems.length > 0) throw new Error(`unexpected problems: ${set.problems[0]?.message}`);
    }
    const loadMs = median(load);
    const rawMs = median(raw);
    console.log(`tickets: parse + validate + tree of ${tickets} files: median ${loadMs.toFixed(0)} ms over ${RUNS} runs (target < 1000 ms)`);
    console.log(`tickets: reading the same files only:           median ${rawMs.toFixed(0)} ms; load ÷ read = ${(loadMs / rawMs).toFixed(1)}`);
    // On a shared machine the wall time mostly says how busy it is; the CPU time says what loading costs.
    console.log(`tickets: CPU time of parse + validate + tree:   median ${median(loadCpu).toFixed(0)} ms`);
    if (tickets !== COUNT) throw new Error(`expected ${COUNT} tickets, got ${tickets}`);
    // The Tickets tree's data side (load, validate, group by status), without the editor's TreeItems.
    if (COUNT === 5000) writeBenchResult('editor', { tickets_5000_ms: loadMs, tickets_5000_cpu_ms: median(loadCpu), tickets_5000_read_ms: rawMs }, 'tickets');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
