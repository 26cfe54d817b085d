import { join } from 'node:path';
import * as vscode from 'vscode';

/**
 * Watches the state.json of the batch the panel shows, so a decision taken anywhere else — the
 * Tickets view, the review editor's verdict thread, `flotilla accept` in a terminal — reaches its
 * rows. The watch is on that batch's own folder, not recursive (never the worktrees), and moves when
 * the panel shows another batch. A running batch writes the file often: changes are coalesced.
 */
export class BatchFileWatch implements vscode.Disposable {
  private watched: { readonly batchId: string; readonly watcher: vscode.FileSystemWatcher } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: string,
    private readonly onChange: (batchId: string) => void,
    private readonly delayMs = 250,
  ) {}

  follow(batchId: string | null): void {
    if (batchId === (this.watched?.batchId ?? null)) return;
    this.stop();
    if (batchId === null) return;
    const folder = vscode.Uri.file(join(this.storage, 'batches', batchId));
    // state.json is written whole and renamed into place: that is a create or a change, depending on the platform.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, 'state.json'), false, false, true);
    const changed = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.onChange(batchId), this.delayMs);
    };
    watcher.onDidCreate(changed);
    watcher.onDidChange(changed);
    this.watched = { batchId, watcher };
  }

  dispose(): void {
    this.stop();
  }

  private stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watched?.watcher.dispose();
    this.watched = undefined;
  }
}
