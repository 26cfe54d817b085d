import * as vscode from 'vscode';
import type { UsageRecord } from '../core/llm/usageRecord';
import type { TicketSelection } from '../core/tickets/ticketSelection';
import type { ApiKeyStore } from './apiKey';
import type { Notices } from './notices';
import type { TicketsTree } from './ticketsTree';
import type { TicketsModel } from './ticketsModel';
import type { WorkerTasks } from './workerTask';

/** Whether a batch is running in this window, for the status bar spinner and the views. */
export interface BatchActivity {
  readonly running: boolean;
  readonly batchId: string | null;
}

/**
 * The one object activate() builds and every adapter receives (CONVENTIONS.md 1). It holds the
 * long-lived pieces and the events they share; adapters never reach for globals.
 */
export interface FlotillaContext {
  readonly extension: vscode.ExtensionContext;
  readonly tickets: TicketsModel;
  readonly selection: TicketSelection;
  readonly tree: TicketsTree;
  readonly apiKey: ApiKeyStore;
  readonly workerTasks: WorkerTasks;
  /** Messages with buttons (answered by the suites in test mode). */
  readonly notices: Notices;
  /** Workspace storage (batches, worktrees, cache, metrics); undefined when no folder is open. */
  readonly storageDir: string | undefined;
  /** Global storage: the usage ledger by month, so budgets span workspaces. */
  readonly globalStorageDir: string;
  /** Fired after every usage record is on disk (any batch, any stage). */
  readonly onDidRecordUsage: vscode.Event<UsageRecord>;
  readonly fireUsage: (record: UsageRecord) => void;
  readonly onDidChangeBatchActivity: vscode.Event<BatchActivity>;
  readonly fireBatchActivity: (activity: BatchActivity) => void;
}

export function createEvents(): { usage: vscode.EventEmitter<UsageRecord>; activity: vscode.EventEmitter<BatchActivity> } {
  return { usage: new vscode.EventEmitter<UsageRecord>(), activity: new vscode.EventEmitter<BatchActivity>() };
}
