import * as vscode from 'vscode';
import type { SettingKey, Settings } from '../core/settings/settingsSchema';

/**
 * The few settings the UI writes on the user's explicit choice (List Models → a tier, "Use Simulated
 * Model"). Reading stays in configuration.ts; both settings are application-scoped, so they go to the
 * user settings.
 */
export function updateSetting<K extends SettingKey>(key: K, value: Settings[K]): Thenable<void> {
  return vscode.workspace.getConfiguration('flotilla').update(key, value, vscode.ConfigurationTarget.Global);
}
