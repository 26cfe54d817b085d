// `npm run bench`: runs every benchmark in this folder, one after the other, and fails if any does.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

let failed = 0;
for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.bench.ts')).sort()) {
  console.log(`\n--- ${file} ---`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, file)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
