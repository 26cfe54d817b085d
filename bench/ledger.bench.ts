// Usage ledger benchmark (issue "Usage ledger", done-when): append throughput for one writer, for
// concurrent writers in one process (group commit) and for two child processes appending to the same
// month file at once; then the time to rebuild metrics from 100,000 records, printed beside a plain
// read + JSON.parse of the same lines in the same run, so the ratio says what validation and the
// fold cost on top of parsing. Every append is fdatasync'ed, so the numbers depend on the disk.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { USAGE_RECORD_VERSION, type UsageRecord } from '../src/core/llm/usageRecord';
import { BatchStateStore } from '../src/core/store/batchStateStore';
import { foldLedger } from '../src/core/store/ledgerReader';
import { UsageLedger } from '../src/core/store/ledgerWriter';
import { rebuildMetrics } from '../src/core/store/rebuildMetrics';
import { ledgerDir } from '../src/core/store/storagePaths';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = 3;
const MODELS = ['claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-opus-4-1'] as const;
const TIERS = ['fast', 'balanced', 'strong'] as const;
const STAGES = ['plan', 'work', 'review', 'fix', 'classify'] as const;

function record(i: number, tag = 'bench'): UsageRecord {
  const m = i % 3;
  return {
    v: USAGE_RECORD_VERSION,
    ts: new Date(Date.UTC(2025, 5 + (i % 2), 1 + (i % 28), 12, 0, 0, i % 1000)).toISOString(),
    workspace: 'bench-ws',
    batchId: `b${i % 50}`,
    ticketId: i % 10 === 0 ? null : `T${i % 20}`,
    stage: STAGES[i % 5]!,
    model: MODELS[m]!,
    tier: TIERS[m]!,
    inputTokens: 1000 + (i % 5000),
    outputTokens: 200 + (i % 800),
    cacheWrite5mTokens: i % 7 === 0 ? 4000 : 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: i % 3 === 0 ? 9000 : 0,
    costUsd: i % 97 === 0 ? null : 0.001 * (1 + (i % 13)),
    latencyMs: 800 + (i % 3000),
    requestId: `req_${tag}_${i}`,
    cached: i % 11 === 0,
    attempt: 1 + (i % 17 === 0 ? 1 : 0),
  };
}

async function childMain(args: string[]): Promise<void> {
  const [dir, tag, count, parallel] = args;
  const ledger = new UsageLedger({ globalStorage: dir! });
  const n = Number(count);
  let next = 0;
  const start = Date.now();
  await Promise.all(
    Array.from({ length: Number(parallel) }, async () => {
      while (next < n) await ledger.append({ ...record(next++, tag), ts: '2025-06-15T12:00:00.000Z' });
    }),
  );
  await ledger.close();
  process.stdout.write(JSON.stringify({ start, end: Date.now() }));
}

async function appendRate(dir: string, count: number, writers: number): Promise<number> {
  const ledger = new UsageLedger({ globalStorage: dir });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < count) await ledger.append({ ...record(next++), ts: '2025-06-15T12:00:00.000Z' });
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  await ledger.close();
  return count / seconds;
}

async function twoProcessRate(dir: string, perChild: number, parallel: number): Promise<number> {
  const run = promisify(execFile);
  const outputs = await Promise.all(
    ['P', 'Q'].map((tag) => run(process.execPath, ['--import', 'tsx', __filename, '--child', dir, tag, String(perChild), String(parallel)])),
  );
  const spans = outputs.map((o) => JSON.parse(o.stdout) as { start: number; end: number });
  const wallMs = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
  return (2 * perChild) / (wallMs / 1000);
}

async function checkIntact(dir: string, expected: number): Promise<string> {
  const scan = await foldLedger(dir, () => undefined);
  return scan.records === expected && scan.problems.length === 0 ? 'intact' : `DAMAGED: ${scan.records}/${expected} records, ${scan.problems.length} problems`;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

async function seed(dir: string): Promise<void> {
  mkdirSync(ledgerDir(dir), { recursive: true });
  const byMonth = new Map<string, string[]>();
  for (let i = 0; i < RECORDS; i++) {
    const r = record(i);
    const month = r.ts.slice(0, 7);
    const lines = byMonth.get(month) ?? [];
    lines.push(JSON.stringify(r));
    byMonth.set(month, lines);
  }
  for (const [month, lines] of byMonth) writeFileSync(join(ledgerDir(dir), `${month}.jsonl`), `${lines.join('\n')}\n`);
  const store = new BatchStateStore({ storage: dir });
  for (let b = 0; b < 50; b++) {
    const ticketIds = Array.from({ length: 20 }, (_, t) => `T${t}`);
    await store.create({ id: `b${b}`, mode: 'orchestrated', ticketIds, baseCommit: null });
    await store.update(`b${b}`, (s) => {
      for (const [t, id] of ticketIds.entries()) {
        const tier = TIERS[t % 3]!;
        s.tickets[id] = {
          ...s.tickets[id]!,
          status: 'done',
          complexityClass: (['mechanical', 'standard', 'complex'] as const)[t % 3]!,
          tierHistory: [{ tier, model: MODELS[t % 3]!, startedAt: '2025-06-01T00:00:00Z', endedAt: '2025-06-01T00:05:00Z', fixLoops: t % 4 === 0 ? 1 : 0, result: 'passed', costUsd: 0.2 }],
        };
      }
      return s;
    });
  }
}

async function plainParse(dir: string): Promise<number> {
  let n = 0;
  for (const month of ['2025-06', '2025-07']) {
    const text = await readFile(join(ledgerDir(dir), `${month}.jsonl`), 'utf8');
    for (const line of text.split('\n')) if (line !== '') n += (JSON.parse(line) as { v: number }).v;
  }
  return n;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-ledger-bench-'));
  try {
    console.log(`ledger in ${root} (every append waits for fdatasync)`);
    const single = await appendRate(join(root, 'a'), 300, 1);
    console.log(`${await checkIntact(join(root, 'a'), 300)}  1 writer, one record at a time:        ${single.toFixed(0).padStart(7)} records/s`);
    const grouped = await appendRate(join(root, 'b'), 3000, 16);
    console.log(`${await checkIntact(join(root, 'b'), 3000)}  16 concurrent writers, one process:     ${grouped.toFixed(0).padStart(7)} records/s  (${(grouped / single).toFixed(1)}x one writer: group commit)`);
    const procs = await twoProcessRate(join(root, 'c'), 1500, 8);
    console.log(`${await checkIntact(join(root, 'c'), 3000)}  2 processes x 8 writers, one file:      ${procs.toFixed(0).padStart(7)} records/s  (${(procs / single).toFixed(1)}x one writer)`);

    const data = join(root, 'rebuild');
    await seed(data);
    const rebuild: number[] = [];
    const parse: number[] = [];
    let records = 0;
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const result = await rebuildMetrics({ storage: data, globalStorage: data });
      rebuild.push(performance.now() - t);
      records = result.metrics.source.records;
      if (result.problems.length > 0) throw new Error(`unexpected problems: ${result.problems.length}`);
      t = performance.now();
      await plainParse(data);
      parse.push(performance.now() - t);
    }
    const r = median(rebuild);
    const p = median(parse);
    console.log(`rebuild metrics from ${records.toLocaleString('en')} records + 1,000 ticket outcomes: ${r.toFixed(0)} ms (median of ${RUNS})`);
    console.log(`plain readFile + JSON.parse of the same lines:                   ${p.toFixed(0)} ms`);
    console.log(`ratio rebuild / plain parse: ${(r / p).toFixed(2)}x  (streaming, zod validation of every line, the fold, an atomic write)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
(argv[0] === '--child' ? childMain(argv.slice(1)) : main()).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
