// `npm run test:webview`: the batch panel's production bundle in headless Chromium (Debian's, through
// playwright-core), driven with fixture states by test/webview/*.webview.test.ts. Installs Chromium
// first when it is missing (scripts/install-test-host.sh --chromium), builds the webview bundle, runs
// the suites, and prints where the screenshots are (FLOTILLA_WEBVIEW_SHOTS, default a temp folder).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const shots = process.env.FLOTILLA_WEBVIEW_SHOTS ?? mkdtempSync(join(tmpdir(), 'flotilla-webview-shots-'));
const env = { ...process.env, FLOTILLA_WEBVIEW_SHOTS: shots, FLOTILLA_TEST_STAGE: 'webview' };

function step(what, command, args) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stderr.write(`[webview] ${what} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
}

step('installing Chromium', 'bash', ['scripts/install-test-host.sh', '--chromium']);
step('building the webview bundle', 'node', ['esbuild.mjs', '--webview', '--production']);
const reporter = process.env.FLOTILLA_TEST_SUMMARY ? ['--reporter', './test/summaryReporter.cjs'] : [];
const run = spawnSync('npx', ['mocha', ...reporter, '--timeout', '60000', 'test/webview/*.webview.test.ts'], { cwd: ROOT, stdio: 'inherit', env });
process.stdout.write(`[webview] screenshots (light, dark, high contrast): ${shots}\n`);
process.exitCode = run.status ?? 1;
