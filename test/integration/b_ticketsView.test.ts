import assert from 'node:assert/strict';
import { writeFile, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FlotillaApi, TicketNode } from '../../src/vscode/api';
import { activateFlotilla, eventually, ticketUri } from './flotillaApi';

async function tree(api: FlotillaApi): Promise<[string, string[]][]> {
  const groups = await api.ticketsView.getChildren();
  const result: [string, string[]][] = [];
  for (const group of groups) {
    const label = api.ticketsView.getTreeItem(group).label;
    const children = await api.ticketsView.getChildren(group);
    result.push([String(label), children.map((c) => (c.kind === 'ticket' ? c.ticket.id : '?'))]);
  }
  return result;
}

async function node(api: FlotillaApi, id: string): Promise<TicketNode> {
  for (const group of await api.ticketsView.getChildren()) {
    for (const child of await api.ticketsView.getChildren(group)) if (child.kind === 'ticket' && child.ticket.id === id) return child;
  }
  throw new Error(`no tree node for ${id}`);
}

describe('Tickets view', () => {
  let api: FlotillaApi;
  before(async () => {
    api = await activateFlotilla();
    await vscode.commands.executeCommand('flotilla.clearTicketSelection');
  });

  it('lists the fixture tickets grouped by status, priority first', async () => {
    assert.deepEqual(await tree(api), [
      ['Open', ['R01', 'R05']],
      ['In Progress', ['R02']],
      ['In Review', ['R03']],
      ['Done', ['R04']],
    ]);
  });

  it('shows id, title, labels and the model override on a ticket item', async () => {
    const item = api.ticketsView.getTreeItem(await node(api, 'R03'));
    // A plain label: the title leads, with no highlight that looks like a search match.
    assert.equal(item.label, 'R03  Migrate sessions to signed cookies');
    assert.equal(item.description, '#auth #security model: strong');
    const r02 = api.ticketsView.getTreeItem(await node(api, 'R02'));
    assert.match(String(r02.description), /after R01$/, 'dependencies are on the row, not only in the tooltip');
    assert.equal(item.contextValue, 'ticket');
    assert.equal(item.id, 'ticket:R03');
    const parent = api.ticketsView.getParent(await node(api, 'R03'));
    assert.equal(parent?.kind, 'group');
  });

  it('ticking a ticket changes the selection the extension reports, and it survives a refresh', async () => {
    assert.deepEqual(await api.tickets.selected(), []);
    api.ticketsView.applyCheckboxChanges([[await node(api, 'R02'), vscode.TreeItemCheckboxState.Checked]]);
    assert.deepEqual(await api.tickets.selected(), ['R02']);
    assert.equal(api.ticketsView.getTreeItem(await node(api, 'R02')).checkboxState && (api.ticketsView.getTreeItem(await node(api, 'R02')).checkboxState as { state: vscode.TreeItemCheckboxState }).state, vscode.TreeItemCheckboxState.Checked);
    await vscode.commands.executeCommand('flotilla.refreshTickets');
    assert.deepEqual(await api.tickets.selected(), ['R02']);
    api.ticketsView.applyCheckboxChanges([[await node(api, 'R02'), vscode.TreeItemCheckboxState.Unchecked]]);
    assert.deepEqual(await api.tickets.selected(), []);
  });

  it('ticking a group selects its tickets; Select All and Clear Selection work', async () => {
    const [open] = await api.ticketsView.getChildren();
    assert.ok(open);
    api.ticketsView.applyCheckboxChanges([[open, vscode.TreeItemCheckboxState.Checked]]);
    assert.deepEqual(await api.tickets.selected(), ['R01', 'R05']);
    assert.equal(api.ticketsView.description, '2 of 5 selected', 'the count is beside the view title');
    await vscode.commands.executeCommand('flotilla.selectAllTickets');
    assert.deepEqual(await api.tickets.selected(), ['R01', 'R02', 'R03', 'R04', 'R05']);
    assert.equal(api.ticketsView.description, '5 of 5 selected');
    await vscode.commands.executeCommand('flotilla.clearTicketSelection');
    assert.deepEqual(await api.tickets.selected(), []);
  });

  it('puts a diagnostic on the invalid ticket file at the right line', async () => {
    const errors = await eventually(() => {
      const found = vscode.languages.getDiagnostics(ticketUri('broken.md'));
      return found.length > 0 ? found : undefined;
    }, 'diagnostics for broken.md');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.range.start.line, 4, 'line 5 of the file (0-based 4): the status field');
    assert.equal(errors[0]?.severity, vscode.DiagnosticSeverity.Error);
    assert.match(errors[0]?.message ?? '', /status/);
    const warnings = vscode.languages.getDiagnostics(ticketUri('R05.md'));
    assert.equal(warnings[0]?.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warnings[0]?.message ?? '', /unknown field "owner"/);
  });

  it('follows the file system: a new ticket file appears and a fixed one clears its diagnostic', async () => {
    const file = ticketUri('R09.md');
    await writeFile(file.fsPath, '---\nid: R09\ntitle: Added while the view is open\nstatus: reviewing\n---\n');
    try {
      const [error] = await eventually(() => {
        const found = vscode.languages.getDiagnostics(file);
        return found.length > 0 ? found : undefined;
      }, 'a diagnostic on the new, invalid R09.md');
      assert.equal(error?.range.start.line, 3);
      assert.ok(!(await tree(api)).some(([, ids]) => ids.includes('R09')), 'an invalid ticket is not listed');
      await writeFile(file.fsPath, '---\nid: R09\ntitle: Added while the view is open\nstatus: review\n---\n');
      await eventually(async () => (await tree(api)).find(([g]) => g === 'In Review')?.[1].includes('R09'), 'R09 listed once fixed');
      assert.deepEqual(vscode.languages.getDiagnostics(file), [], 'the diagnostic is cleared');
    } finally {
      await rm(file.fsPath, { force: true });
    }
    await eventually(async () => !(await tree(api)).some(([, ids]) => ids.includes('R09')), 'R09 gone after delete');
  });

  it('calls only a file that is left out "not listed": a listed ticket with an unknown dependency is named as listed', async () => {
    await eventually(() => api.ticketsView.message?.includes('1 ticket file has errors and is not listed'), 'the message about broken.md');
    const file = ticketUri('R10.md');
    await writeFile(file.fsPath, '---\nid: R10\ntitle: Listed, with a dependency that does not exist\ndependsOn: [R99]\n---\n');
    try {
      await eventually(async () => (await tree(api)).some(([, ids]) => ids.includes('R10')), 'R10 listed');
      const message = await eventually(() => (api.ticketsView.message?.includes('R10') ? api.ticketsView.message : undefined), 'the message naming R10');
      assert.match(message, /1 ticket file has errors and is not listed; R10 has problems to fix — see the Problems panel\./);
    } finally {
      await rm(file.fsPath, { force: true });
    }
    await eventually(() => !api.ticketsView.message?.includes('R10'), 'R10 gone from the message');
  });

  it('Open Ticket opens the ticket file', async () => {
    await vscode.commands.executeCommand('flotilla.openTicket', 'R01');
    const editor = await eventually(() => vscode.window.activeTextEditor, 'an editor');
    assert.equal(editor.document.uri.fsPath, ticketUri('R01.md').fsPath);
  });
});
