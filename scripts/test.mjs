// `npm test`: every check the project has, in the order that fails fastest. Prints each stage's
// output and ends with one closing line `Tests: N passed, N failed` (counts over all suites).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const summary = join(mkdtempSync(join(tmpdir(), 'flotilla-test-')), 'summary.jsonl');
const env = { ...process.env, FLOTILLA_TEST_SUMMARY: summary };

const stages = [
  ['type-check', 'npx', ['tsc', '--noEmit', '-p', '.']],
  // The webview's code and the tests that drive a browser page are checked with the DOM library.
  ['type-check (webview)', 'sh', ['-c', 'npx tsc --noEmit -p media && npx tsc --noEmit -p test/webview']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', 'src', 'test', 'bench', 'scripts', 'media', 'esbuild.mjs']],
  ['build', 'node', ['esbuild.mjs']],
  // The unit suite runs gates in the bubblewrap sandbox (and tests it): bubblewrap first.
  ['install bubblewrap', 'bash', ['scripts/install-test-host.sh', '--bubblewrap']],
  ['unit', 'npx', ['mocha', '--reporter', './test/summaryReporter.cjs', 'test/unit/**/*.unit.test.ts']],
  ['webview (Chromium)', 'node', ['scripts/testWebview.mjs']],
  ['integration (VS Code extension host)', 'node', ['scripts/runIntegration.mjs']],
  ['e2e (Chromium clicking the workbench)', 'node', ['scripts/testE2e.mjs']],
];

let failedStage;
for (const [name, command, args] of stages) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  process.stdout.write(`=== ${name}: ${result.status === 0 ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s ===\n`);
  if (result.status !== 0) {
    failedStage = name;
    break;
  }
}

const counts = existsSync(summary)
  ? readFileSync(summary, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
const passed = counts.reduce((n, c) => n + c.passes, 0);
const failed = counts.reduce((n, c) => n + c.failures, 0);
const skipped = counts.reduce((n, c) => n + c.pending, 0);
for (const c of counts) process.stdout.write(`${c.stage}: ${c.passes} passing, ${c.failures} failing, ${c.pending} pending\n`);
if (failedStage) process.stdout.write(`stopped at: ${failedStage}\n`);
// A stage that failed before counting (type-check, lint) still fails the run.
process.stdout.write(`Tests: ${passed} passed, ${failed + (failedStage && failed === 0 ? 1 : 0)} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failedStage || failed > 0 || skipped > 0 ? 1 : 0;
