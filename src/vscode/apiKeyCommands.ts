import * as vscode from 'vscode';
import { apiKeyInputProblem, type ApiKeyStore } from './apiKey';
import { log } from './log';

/**
 * Set API Key. From the palette it asks with a password box; a caller (a walkthrough, a test) may
 * pass the key directly. The key goes to SecretStorage only and is never logged.
 */
export async function setApiKey(store: ApiKeyStore, given?: unknown): Promise<void> {
  let key = typeof given === 'string' ? given : undefined;
  if (key !== undefined && apiKeyInputProblem(key)) {
    void vscode.window.showErrorMessage(`Flotilla: ${apiKeyInputProblem(key)}`);
    return;
  }
  key ??= await vscode.window.showInputBox({
    title: 'Anthropic API Key',
    prompt: 'Stored in VS Code Secret Storage, never in settings. Create a key in the Anthropic Console.',
    password: true,
    ignoreFocusOut: true,
    placeHolder: 'sk-ant-…',
    validateInput: apiKeyInputProblem,
  });
  if (key === undefined) return;
  await store.store(key);
  const masked = await store.masked();
  log.info(`API key stored in Secret Storage (${masked})`);
  void vscode.window.showInformationMessage(`Flotilla: API key ${masked} saved in Secret Storage.`);
}

export async function clearApiKey(store: ApiKeyStore): Promise<void> {
  const had = await store.get();
  await store.clear();
  log.info(had === undefined ? 'Clear API Key: no key was stored' : 'API key removed from Secret Storage');
  void vscode.window.showInformationMessage(had === undefined ? 'Flotilla: no API key was stored.' : 'Flotilla: API key removed.');
}
