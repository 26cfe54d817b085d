import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadTickets, type TicketSet } from '../core/tickets/loadTickets';
import { onSettingChanged, readSettings } from './configuration';
import { DisposableStore } from './disposables';
import { log } from './log';
import { errorMessage } from '../core/errorText';

const RELOAD_DELAY_MS = 150;

/**
 * The tickets of the first workspace folder, loaded on first use (not at activation) and kept
 * current by a file watcher. Everything that shows tickets reads them from here.
 */
export class TicketsModel extends DisposableStore {
  private readonly changed = this.register(new vscode.EventEmitter<TicketSet>());
  readonly onDidChange = this.changed.event;
  private current: Promise<TicketSet> | undefined;
  private watcher: DisposableStore | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;

  constructor() {
    super();
    this.register(onSettingChanged(['tickets.folder'], () => {
      this.watcher?.dispose();
      this.watcher = undefined;
      if (this.current) void this.refresh();
    }));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (this.current) void this.refresh();
    }));
    this.register({ dispose: () => clearTimeout(this.reloadTimer) });
  }

  /** The tickets folder, or undefined when no folder is open. */
  folder(): string | undefined {
    const root = vscode.workspace.workspaceFolders?.[0];
    if (!root || root.uri.scheme !== 'file') return undefined;
    const setting = readSettings()['tickets.folder'];
    return path.resolve(root.uri.fsPath, setting);
  }

  /** The last loaded tickets, loading them the first time. */
  get(): Promise<TicketSet> {
    this.current ??= this.load();
    return this.current;
  }

  refresh(): Promise<TicketSet> {
    this.current = this.load();
    return this.current;
  }

  private async load(): Promise<TicketSet> {
    const folder = this.folder();
    if (!folder) {
      const empty: TicketSet = { folder: '', folderExists: false, tickets: [], problems: [], cycles: [], files: [] };
      this.changed.fire(empty);
      return empty;
    }
    this.ensureWatcher(folder);
    const started = Date.now();
    try {
      const set = await loadTickets(folder);
      log.info(`Loaded ${set.tickets.length} tickets from ${folder} in ${Date.now() - started} ms (${set.problems.length} problems)`);
      this.changed.fire(set);
      return set;
    } catch (error) {
      const message = errorMessage(error);
      log.error(`Could not read the tickets folder ${folder}: ${message}`);
      void vscode.window.showErrorMessage(`Flotilla could not read the tickets folder ${folder}: ${message}`);
      const failed: TicketSet = { folder, folderExists: false, tickets: [], problems: [], cycles: [], files: [] };
      this.changed.fire(failed);
      return failed;
    }
  }

  private ensureWatcher(folder: string): void {
    if (this.watcher) return;
    const store = new DisposableStore();
    const watcher = store.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*.md')));
    const schedule = () => {
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.refresh(), RELOAD_DELAY_MS);
    };
    store.register(watcher.onDidCreate(schedule));
    store.register(watcher.onDidChange(schedule));
    store.register(watcher.onDidDelete(schedule));
    this.watcher = this.register(store);
  }
}
