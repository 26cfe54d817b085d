import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlotillaApi } from '../../src/vscode/api';

export const EXTENSION_ID = 'flotilla.flotilla';

export async function activateFlotilla(): Promise<FlotillaApi> {
  const extension = vscode.extensions.getExtension<FlotillaApi | undefined>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  const api = await extension.activate();
  assert.ok(api, 'activate() returned the API (activation did not fail)');
  return api;
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri;
}

export function ticketUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), '.flotilla', 'tickets', ...segments);
}

/** Polls until the condition holds; file watchers and views update asynchronously. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Asks the launcher for a screenshot of the workbench now (FLOTILLA_IT_SCREENSHOTS=DIR). Without
 * it, nothing happens: screenshots are for people looking at the UI, not something a test asserts.
 */
export async function screenshot(name: string): Promise<void> {
  const dir = process.env.FLOTILLA_IT_SHOT_DIR;
  if (!dir) return;
  // The workbench renders views and notifications a moment after the extension host changes them.
  await new Promise((r) => setTimeout(r, 1500));
  const { existsSync, mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.request`), '');
  const deadline = Date.now() + 10_000;
  while (!existsSync(join(dir, `${name}.done`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
