import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { redactSecrets } from '../core/redactSecrets';

let channel: vscode.LogOutputChannel | undefined;

/** Creates the extension's single log channel; called once from activate(). */
export function createLogChannel(): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('Flotilla', { log: true });
  return channel;
}

export function showLog(): void {
  channel?.show(true);
}

/** The one place the extension writes log lines. Never pass secrets; any that slip in are redacted. */
export const log: Logger = {
  trace: (message) => channel?.trace(redactSecrets(message)),
  debug: (message) => channel?.debug(redactSecrets(message)),
  info: (message) => channel?.info(redactSecrets(message)),
  warn: (message) => channel?.warn(redactSecrets(message)),
  error: (message) => channel?.error(redactSecrets(message)),
};
