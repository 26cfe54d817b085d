import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMAND_TABLE } from '../../src/vscode/commandTable';
import { activateFlotilla, ticketUri } from './flotillaApi';

describe('activation', () => {
  it('activates in the fixture workspace and registers every command', async () => {
    await activateFlotilla();
    const commands = await vscode.commands.getCommands(true);
    for (const { id } of Object.values(COMMAND_TABLE)) assert.ok(commands.includes(id), `${id} registered`);
  });

  it('parses no ticket until the Tickets view asks (no diagnostics yet), then publishes them', async () => {
    const api = await activateFlotilla();
    assert.equal(api.ticketsView.visible, false, 'the view is not shown at start');
    assert.deepEqual(vscode.languages.getDiagnostics(ticketUri('broken.md')), [], 'nothing parsed at activation');
    await vscode.commands.executeCommand('flotilla.tickets.focus');
    const deadline = Date.now() + 15_000;
    while (vscode.languages.getDiagnostics(ticketUri('broken.md')).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(vscode.languages.getDiagnostics(ticketUri('broken.md')).length > 0, 'diagnostics after the view is shown');
  });
});
