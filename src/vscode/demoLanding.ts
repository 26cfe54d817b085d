import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { log } from './log';

/** The walkthrough of package.json, by its full id (publisher.name#id). */
export const WALKTHROUGH_ID = 'flotilla.flotilla#flotilla.gettingStarted';

const LANDING_KEY = 'flotilla.demoLanding';
const landingSchema = z.object({ folder: z.string().min(1) });

/**
 * Try the Demo opens its folder in a new window, where this extension starts afresh: the folder is
 * remembered in the global state (shared by every window) so that window knows it is the demo's.
 */
export function expectDemoLanding(globalState: vscode.Memento, folder: string): Thenable<void> {
  return globalState.update(LANDING_KEY, { folder });
}

/**
 * In the window that opened the demo's folder: the Flotilla view, and the walkthrough beside it — once.
 * Returns whether it landed.
 */
export async function landDemo(globalState: vscode.Memento): Promise<boolean> {
  const pending = landingSchema.safeParse(globalState.get(LANDING_KEY));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!pending.success || folder === undefined || resolve(pending.data.folder) !== resolve(folder)) return false;
  await globalState.update(LANDING_KEY, undefined);
  await vscode.commands.executeCommand('workbench.view.extension.flotilla');
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  log.info(`Demo project opened: the Flotilla view and the walkthrough "Get Started with Flotilla" are shown.`);
  return true;
}
