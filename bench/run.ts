// `npm run bench`: runs every benchmark in this folder, one after the other, merges what they recorded
// (bench/out, see benchResults.ts) into bench/results.json, prints one table, and fails if any bench did.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readBenchResults } from './benchResults';
import { mergeResults } from './mergeResults';
import { resultsTable } from './resultsTable';

const runStartedAt = new Date();
const loadAtStart = Math.round((loadavg()[0] ?? 0) * 10) / 10;
const only = process.argv.slice(2);
let failed = 0;
/** Wall-clock seconds of each bench, for results.json (the whole run must stay reasonable on 2 cores). */
const benchSeconds: Record<string, number> = {};
for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only.length > 0 && !only.some((name) => file.startsWith(name))) continue;
  console.log(`\n--- ${file} ---`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, file)], { stdio: 'inherit' });
  benchSeconds[file.replace(/\.bench\.ts$/, '')] = Math.round((Date.now() - started) / 1000);
  if (result.status !== 0) failed++;
}

const { records, problems } = readBenchResults();
const results = mergeResults({ records, runStartedAt, runSeconds: (Date.now() - runStartedAt.getTime()) / 1000, loadAtStart, benchSeconds });
writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const load = results.meta.load_average_1m as { start: number; end: number };
console.log(`\n=== bench/results.json (${results.meta.run_seconds} s: ${Object.entries(benchSeconds).map(([name, sec]) => `${name} ${sec}`).join(', ')}; 1-minute load average ${load.start} at start, ${load.end} at end, ${(results.meta.machine as { cpus: number }).cpus} CPUs) ===\n`);
console.log(resultsTable(results));
for (const problem of problems) console.log(`bench/out: ignored ${problem}`);
const earlier = results.meta.recorded_before_this_run as string[];
if (earlier.length > 0) console.log(`\nrecorded before this run (kept, not re-measured): ${earlier.join(', ')}`);
if (failed > 0) console.log(`\n${failed} bench(es) failed`);
process.exitCode = failed > 0 ? 1 : 0;
