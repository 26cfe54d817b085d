import * as vscode from 'vscode';
import { parseSettings, type SettingKey, type Settings } from '../core/settings/settingsSchema';
import { log } from './log';

const SECTION = 'flotilla';
const reported = new Set<string>();

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
 * The few settings the UI writes on the user's explicit choice (List Models → a tier, "Use Simulated
 * Model"). Both are application-scoped, so they go to the user settings.
 */
export function updateSetting<K extends SettingKey>(key: K, value: Settings[K]): Thenable<void> {
  return vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}
