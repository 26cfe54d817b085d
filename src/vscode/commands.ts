import * as vscode from 'vscode';
import { COMMAND_TABLE, type CommandName } from './commandTable';
import { log, showLog } from './log';
import { errorForLog, errorMessage } from '../core/errorText';

export type CommandHandlers = { readonly [K in CommandName]: (...args: unknown[]) => unknown };

/**
 * Registers every command from the table. Errors are caught here, at the boundary: logged once and
 * shown once with a way to the log.
 */
export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return (Object.keys(COMMAND_TABLE) as CommandName[]).map((name) =>
    vscode.commands.registerCommand(COMMAND_TABLE[name].id, async (...args: unknown[]) => {
      try {
        return await handlers[name](...args);
      } catch (error) {
        const message = errorMessage(error);
        log.error(`${COMMAND_TABLE[name].title} failed: ${errorForLog(error)}`);
        void vscode.window.showErrorMessage(`Flotilla: ${COMMAND_TABLE[name].title} failed: ${message}`, 'Open Log').then((choice) => {
          if (choice) showLog();
        });
        return undefined;
      }
    }),
  );
}
