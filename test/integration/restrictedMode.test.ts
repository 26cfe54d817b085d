import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateFlotilla, eventually, workspaceRoot } from './flotillaApi';

// Runs in a second host started with workspace trust enabled and the folder untrusted.
describe('Restricted Mode (untrusted workspace)', () => {
  it('still activates and lists tickets', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the launcher opened an untrusted folder');
    const api = await activateFlotilla();
    const groups = await api.ticketsView.getChildren();
    assert.equal(groups.length, 4);
    assert.deepEqual((await api.tickets.load()).tickets.map((t) => t.id), ['R01', 'R02', 'R03', 'R04', 'R05']);
  });

  it('says in the Tickets view that nothing will run until the workspace is trusted', async () => {
    const api = await activateFlotilla();
    const message = await eventually(() => api.ticketsView.message, 'a view message');
    assert.match(message, /Restricted Mode: tickets are listed, but no worker, command or model call runs/);
  });

  it("ignores the untrusted folder's choice of provider (a restricted setting)", async () => {
    const file = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
    assert.match(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'), /"flotilla.provider": "simulated"/, 'the launcher wrote it into the folder settings');
    assert.equal(vscode.workspace.getConfiguration('flotilla').get('provider'), 'anthropic', 'Restricted Mode uses the default');
  });
});
