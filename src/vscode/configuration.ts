import * as vscode from 'vscode';
import { parseSettings, type SettingKey, type Settings } from '../core/settings/settingsSchema';
import { log } from './log';

const SECTION = 'flotilla';
const reported = new Set<string>();
/** Settings the UI writes to the workspace when one is open (package.json gives them a non-application scope). */
const WORKSPACE_SETTINGS: ReadonlySet<SettingKey> = new Set<SettingKey>(['provider']);

/** The only caller of getConfiguration: typed, validated settings with invalid values reported once. */
export function readSettings(): Settings {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const { settings, problems } = parseSettings((key) => configuration.get(key));
  for (const problem of problems) {
    const text = `Setting "${SECTION}.${problem.key}" is invalid (${problem.message}); using the default.`;
    if (reported.has(text)) continue;
    reported.add(text);
    log.warn(text);
    void vscode.window.showWarningMessage(text, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${problem.key}`);
    });
  }
  return settings;
}

export function onSettingChanged(keys: readonly SettingKey[], listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (keys.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) listener();
  });
}

/**
 * The few settings the UI writes on the user's explicit choice. Model tiers (List Models) are
 * application-scoped and go to the user settings; the provider ("Use Simulated Model") goes to the
 * open workspace, so choosing the simulator for a demo folder leaves real projects on the API. A
 * value the workspace already sets is changed there: written to the user settings, it would not apply.
 */
export function updateSetting<K extends SettingKey>(key: K, value: Settings[K]): Thenable<void> {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  const set = configuration.inspect(key);
  const open = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const target =
    set?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
    : open && (set?.workspaceValue !== undefined || WORKSPACE_SETTINGS.has(key)) ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  return configuration.update(key, value, target);
}
