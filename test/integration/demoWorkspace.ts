import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { DEMO_FILES, DEMO_TICKETS } from '../../src/simulator/demo/demoRepository';
import type { FlotillaApi, TicketNode } from '../../src/vscode/api';
import { eventually, workspaceRoot } from './flotillaApi';

export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

export async function ticketNode(api: FlotillaApi, id: string): Promise<TicketNode> {
  for (const group of await api.ticketsView.getChildren()) {
    const found = (await api.ticketsView.getChildren(group)).find((n) => n.kind === 'ticket' && n.ticket.id === id);
    if (found) return found;
  }
  throw new Error(`ticket ${id} is not in the Tickets view`);
}

/** Ticks exactly these tickets, the way the checkboxes do. */
export async function tick(api: FlotillaApi, ...ids: string[]): Promise<void> {
  await vscode.commands.executeCommand('flotilla.clearTicketSelection');
  const nodes = await Promise.all(ids.map((id) => ticketNode(api, id)));
  api.ticketsView.applyCheckboxChanges(nodes.map((n) => [n, vscode.TreeItemCheckboxState.Checked] as const));
  assert.deepEqual((await api.tickets.selected()).sort(), [...ids].sort());
}

/**
 * Turns the workspace (a temp copy of the fixture) into the demo project's git repository with two
 * demo tickets (scripted for the simulated model) beside the fixture's R01..R05, the simulated model
 * chosen the way a user does it for a demo folder: in .vscode/settings.json, with no API key stored
 * (issue 12 item 3). Returns the undo.
 */
export async function useDemoWorkspace(api: FlotillaApi): Promise<() => Promise<void>> {
  const root = workspaceRoot().fsPath;
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  writeFileSync(join(root, 'README.md'), DEMO_FILES['README.md'] as string);
  for (const name of ['D1.md', 'D3.md']) writeFileSync(join(root, '.flotilla/tickets', name), DEMO_TICKETS[name] as string);
  for (const file of ['src/wordCount.js', 'test/wordCount.test.js']) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), DEMO_FILES[file] as string);
  }
  assert.equal(await api.apiKey.masked(), undefined, 'no API key is stored');
  mkdirSync(join(root, '.vscode'), { recursive: true });
  // The demo's test gate, as the demo project configures it: D3's first fast run fails it.
  const settings = { 'flotilla.provider': 'simulated', 'flotilla.gates.test': 'node --test', 'flotilla.commands.allow': ['node --test'] };
  writeFileSync(join(root, '.vscode/settings.json'), JSON.stringify(settings, null, 2));
  await eventually(() => vscode.workspace.getConfiguration('flotilla').inspect('provider')?.workspaceValue === 'simulated', 'the workspace setting to be read');
  assert.equal(vscode.workspace.getConfiguration('flotilla').inspect('provider')?.globalValue, undefined, 'nothing in the user settings');
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-qm', 'fixture');
  await vscode.commands.executeCommand('flotilla.refreshTickets');
  return async () => {
    await api.batches.setSimulatedLatency(0).catch(() => undefined);
    rmSync(join(root, '.vscode'), { recursive: true, force: true });
    await eventually(() => vscode.workspace.getConfiguration('flotilla').inspect('provider')?.workspaceValue === undefined, 'the workspace setting to be gone');
    await vscode.commands.executeCommand('flotilla.clearTicketSelection');
    for (const name of ['D1.md', 'D3.md']) rmSync(join(root, '.flotilla/tickets', name), { force: true });
    for (const path of ['src', 'test', '.git']) rmSync(join(root, path), { recursive: true, force: true });
    writeFileSync(join(root, 'README.md'), readme);
    await vscode.commands.executeCommand('flotilla.refreshTickets');
  };
}
