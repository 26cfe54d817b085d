import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateFlotilla } from './flotillaApi';

describe('API key', () => {
  it('round-trips through SecretStorage and never lands in settings', async () => {
    const api = await activateFlotilla();
    const key = 'sk-ant-test-0123456789abcdef';
    await vscode.commands.executeCommand('flotilla.setApiKey', key);
    assert.equal(await api.apiKey.masked(), 'sk-ant-…cdef');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('flotilla'));
    assert.ok(!settings.includes(key), 'the key is not in the settings');
    await vscode.commands.executeCommand('flotilla.clearApiKey');
    assert.equal(await api.apiKey.masked(), undefined);
  });

  it('refuses a key too short to be redacted reliably (issue 20): nothing is stored', async () => {
    const api = await activateFlotilla();
    await vscode.commands.executeCommand('flotilla.setApiKey', 'sk-ant-7chars');
    assert.equal(await api.apiKey.masked(), undefined);
  });
});
