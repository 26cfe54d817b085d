import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newNonce, panelHtml } from '../../src/vscode/panel/panelHtml';
import type { Theme } from './themes';

/*
 * The panel's production bundle in headless Chromium, the way a VS Code webview hosts it: the page the
 * extension's HTML helper builds (same CSP), served from a made-up origin that stands for
 * `webview.cspSource`, the theme's --vscode-* variables on the root and its class on the body, and a
 * stub acquireVsCodeApi that records what the view posts. Every other request is refused and recorded.
 */

const ROOT = join(__dirname, '../..');
export const ORIGIN = 'https://panel.flotilla.test';
export const CHROMIUM = process.env.FLOTILLA_CHROMIUM ?? '/usr/bin/chromium';
const BUNDLE = join(ROOT, 'dist/webview/panel.js');

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/install-test-host.sh --chromium (npm run test:webview does)`);
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: build it with node esbuild.mjs --webview --production (npm run test:webview does)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface PanelPage {
  readonly page: Page;
  /** Requests the page made that are not the panel's own files (refused). */
  readonly refused: string[];
  /** alert/confirm/prompt dialogs opened by anything on the page. */
  readonly dialogs: string[];
  /** Uncaught errors in the page. */
  readonly errors: string[];
  /** Everything the view posted to the host, in order. */
  posted(): Promise<unknown[]>;
  /** CSP violations the page reported. */
  violations(): Promise<string[]>;
  /** Posts a message to the view as the extension host does, and waits until the view acknowledged `rev` (if given). */
  send(message: unknown, waitForRev?: number): Promise<void>;
  /**
   * The whole page as a picture. The window is first made as tall as the page: rows and sections off
   * screen are not rendered (content-visibility: auto), so a full-page capture of a short window
   * shows them blank.
   */
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPanel(browser: Browser, theme: Theme, viewport = { width: 1400, height: 900 }, savedState: unknown = undefined): Promise<PanelPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const refused: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const html = panelHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/dist/webview/panel.js`, styleUri: `${ORIGIN}/media/panel.css`, nonce: newNonce() });
  const files: Readonly<Record<string, { path?: string; body?: string; type: string }>> = {
    [`${ORIGIN}/index.html`]: { body: html, type: 'text/html' },
    [`${ORIGIN}/dist/webview/panel.js`]: { path: BUNDLE, type: 'text/javascript' },
    [`${ORIGIN}/media/panel.css`]: { path: join(ROOT, 'media/panel.css'), type: 'text/css' },
  };
  await context.route('**/*', async (route) => {
    const file = files[route.request().url()];
    if (!file) {
      refused.push(route.request().url());
      await route.abort('blockedbyclient');
      return;
    }
    await route.fulfill({ status: 200, contentType: file.type, body: file.body ?? readFileSync(file.path as string) });
  });
  // tsx compiles these tests with esbuild's keepNames, which wraps functions in __name(); the
  // functions handed to the page are that source, so the page needs the helper too.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(
    ({ vars, bodyClass, state }) => {
      const w = window as unknown as { __posted: unknown[]; __violations: string[]; __state: unknown; acquireVsCodeApi: () => unknown };
      w.__posted = [];
      w.__violations = [];
      w.__state = state;
      w.acquireVsCodeApi = () => ({
        postMessage: (m: unknown) => w.__posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => w.__state,
        setState: (s: unknown) => (w.__state = s),
      });
      document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
      // VS Code puts the theme's variables on the root element and its kind on the body.
      const apply = () => {
        for (const [name, value] of Object.entries(vars)) document.documentElement?.style.setProperty(`--vscode-${name}`, value);
        document.body?.classList.add(bodyClass);
      };
      apply();
      document.addEventListener('DOMContentLoaded', apply);
    },
    { vars: theme.vars, bodyClass: theme.bodyClass, state: savedState },
  );
  await page.goto(`${ORIGIN}/index.html`);
  const posted = () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
  return {
    page,
    refused,
    dialogs,
    errors,
    posted,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
    async send(message, waitForRev) {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      if (waitForRev === undefined) return;
      await page.waitForFunction((rev) => (window as unknown as { __posted: { type?: string; rev?: number }[] }).__posted.some((m) => m.type === 'applied' && m.rev === rev), waitForRev, { timeout: 10_000 });
    },
    async screenshot(path) {
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const size = page.viewportSize() ?? viewport;
      if (height > size.height) await page.setViewportSize({ width: size.width, height });
      // Two frames: the rows that just came into view are laid out and painted.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await page.screenshot({ path, fullPage: true });
    },
    close: () => context.close(),
  };
}
