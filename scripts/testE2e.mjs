// `npm run test:e2e`: a person's batch clicked through in the real workbench — the extension packaged
// as a VSIX and installed into code-server, the fixture repository opened in headless Chromium
// (test/e2e/). Installs code-server and Chromium first when missing (cached in ~/.cache/flotilla), and
// prints where the screenshots are (FLOTILLA_E2E_SHOTS, default a temp folder).
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const shots = resolve(process.env.FLOTILLA_E2E_SHOTS ?? mkdtempSync(join(tmpdir(), 'flotilla-e2e-shots-')));
const env = { ...process.env, FLOTILLA_E2E_SHOTS: shots, FLOTILLA_TEST_STAGE: 'e2e' };

const install = spawnSync('bash', ['scripts/install-test-host.sh'], { cwd: ROOT, stdio: 'inherit', env });
if (install.status !== 0) {
  process.stderr.write(`[e2e] installing code-server and Chromium failed (exit ${install.status ?? install.signal})\n`);
  process.exit(install.status ?? 1);
}
const reporter = process.env.FLOTILLA_TEST_SUMMARY ? ['--reporter', './test/summaryReporter.cjs'] : [];
// --bail: each step builds on the one before; after a failure the rest would only fail again.
const run = spawnSync('npx', ['mocha', ...reporter, '--bail', '--timeout', '300000', 'test/e2e/*.e2e.test.ts'], { cwd: ROOT, stdio: 'inherit', env });
process.stdout.write(`[e2e] screenshots: ${shots}\n`);
process.exitCode = run.status ?? 1;
