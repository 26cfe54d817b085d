import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { GitClient } from '../core/git/gitClient';
import { createDemoProject } from '../simulator/demo/demoProject';
import type { CommandHandlers } from './commands';
import { updateSetting } from './configuration';
import { expectDemoLanding } from './demoLanding';
import { log } from './log';

/** From a test or another command: where to create the demo, and whether to open it (a person gets a folder dialog and the new window). */
const demoArgs = z.object({ parent: z.string().min(1).optional(), open: z.boolean().optional() });

/**
 * The way in without a key: "Try the Demo" creates the sample project (a small library with real
 * tests and six tickets) in a new folder set to the simulated model, and opens it in the Flotilla
 * view with the walkthrough; "Use Simulated Model" switches the open workspace to the simulator.
 */
export function demoHandlers(globalState: vscode.Memento): Pick<CommandHandlers, 'tryDemo' | 'useSimulatedModel'> {
  return {
    tryDemo: async (arg) => {
      const options = demoArgs.parse(arg ?? {});
      const parent = options.parent ?? (await askParent());
      if (parent === undefined) return undefined;
      const folder = await freshFolder(join(parent, 'flotilla-demo'));
      await createDemoProject(new GitClient(), folder, { editorSettings: true });
      log.info(`Demo project created in ${folder} (simulated model, test gate node --test)`);
      // The window that opens it lands in the Flotilla view with the walkthrough (demoLanding.ts).
      await expectDemoLanding(globalState, folder);
      if (options.open ?? true) {
        await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(folder), { forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0 });
      }
      return folder;
    },
    useSimulatedModel: async () => {
      await updateSetting('provider', 'simulated');
      const where = vscode.workspace.workspaceFolders?.length ? 'in this workspace' : 'for every window';
      void vscode.window.showInformationMessage(`Flotilla now uses the simulated model ${where}: offline, nothing is billed, runs are labelled "simulated".`);
      return 'simulated';
    },
  };
}

async function askParent(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.Uri.file(homedir()),
    openLabel: 'Create the Demo Here',
    title: 'Flotilla demo: a new folder "flotilla-demo" is created in the folder you choose',
  });
  return picked?.[0]?.fsPath;
}

/** `flotilla-demo`, or `flotilla-demo-2` … when that exists: the demo never writes into an existing folder. */
async function freshFolder(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    try {
      await access(candidate);
    } catch {
      return candidate;
    }
  }
}
