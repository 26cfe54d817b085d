import * as vscode from 'vscode';

const SCHEME = 'flotilla-plan';

/**
 * The "Details" of the run confirmation as a read-only document (`flotilla-plan:`), not an Untitled
 * one: nothing to save, nothing left dirty behind the dialog. The confirmation closes it when it
 * ends, whatever the answer.
 */
export class PlanDetails implements vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private next = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => this.texts.get(uri.path) ?? '' });
  }

  /** Shows `text` read-only, as a preview in the active editor group. */
  async show(title: string, text: string): Promise<vscode.Uri> {
    // A new path each time: VS Code keeps a virtual document's first text while it is open.
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${++this.next}/${title}` });
    this.texts.set(uri.path, text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    return uri;
  }

  /** Closes the tabs of these details and forgets their text. */
  async close(uris: readonly vscode.Uri[]): Promise<void> {
    const wanted = new Set(uris.map((u) => u.toString()));
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && wanted.has(t.input.uri.toString()));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
    for (const uri of uris) this.texts.delete(uri.path);
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
