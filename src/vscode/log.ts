import * as vscode from 'vscode';
import type { Logger } from '../core/logger';

let channel: vscode.LogOutputChannel | undefined;

/** Creates the extension's single log channel; called once from activate(). */
export function createLogChannel(): vscode.LogOutputChannel {
  channel = vscode.window.createOutputChannel('Flotilla', { log: true });
  return channel;
}

export function showLog(): void {
  channel?.show(true);
}

/** The one place the extension writes log lines. Never pass secrets. */
export const log: Logger = {
  trace: (message) => channel?.trace(message),
  debug: (message) => channel?.debug(message),
  info: (message) => channel?.info(message),
  warn: (message) => channel?.warn(message),
  error: (message) => channel?.error(message),
};
