import * as vscode from 'vscode';

/**
 * In Restricted Mode Flotilla lists tickets but runs no worker, command or model call. Call this
 * before any of those; it explains the refusal and offers the way out.
 */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `Flotilla does not ${action} in Restricted Mode: workers run commands and send code to a model. Trust this workspace to continue.`,
      'Manage Workspace Trust',
    )
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}

export const RESTRICTED_MODE_MESSAGE = 'Restricted Mode: tickets are listed, but no worker, command or model call runs until you trust this workspace.';
