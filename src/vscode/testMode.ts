import * as vscode from 'vscode';

/**
 * Whether test hooks may be exposed (CONVENTIONS.md 19): under @vscode/test-electron the extension
 * runs in ExtensionMode.Test; under code-server it is installed from a VSIX (Production mode) and the
 * launcher (scripts/runIntegration.mjs) names the results file in FLOTILLA_IT_RESULTS for the host.
 */
export function isTestMode(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test || process.env.FLOTILLA_IT_RESULTS !== undefined;
}
