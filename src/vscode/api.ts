import type * as vscode from 'vscode';
import type { UsageRecord } from '../core/llm/usageRecord';
import type { TicketSet } from '../core/tickets/loadTickets';
import type { BudgetApi } from './budgetApi';
import type { NoticeAnswers } from './notices';
import type { ReviewPrompts } from './review/reviewPrompts';
import type { PanelTestApi } from './panel/batchPanelHost';
import type { TicketRunView } from '../core/session/runStateText';
import type { TicketNode, TicketsTree } from './ticketsTree';
import type { WorkerTasks } from './workerTask';

/**
 * What activate() returns: a read-only view for other extensions and for the integration suites.
 * It never exposes the API key itself, only its masked form.
 */
export interface FlotillaApi {
  /** How long activation took: loading the extension's bundle and running activate(), in ms. */
  readonly activationMs: number;
  readonly tickets: {
    load(): Promise<TicketSet>;
    /** Ids ticked for the next batch, among the tickets that exist. */
    selected(): Promise<string[]>;
  };
  readonly ticketsView: Pick<TicketsTree, 'getChildren' | 'getTreeItem' | 'getParent' | 'applyCheckboxChanges'> & {
    readonly visible: boolean;
    /** The message shown at the top of the view (Restricted Mode, files with errors). */
    readonly message: string | undefined;
    /** The view's description beside its title ("3 of 6 selected"). */
    readonly description: string | undefined;
  };
  readonly apiKey: { masked(): Promise<string | undefined> };
  /** Workers as VS Code tasks ("D3 · fast · run 1"): run one, read the plain text its terminal showed. */
  readonly workerTasks: Pick<WorkerTasks, 'run' | 'output' | 'runOutputs'>;
  /** The budget status bar item as it shows now, and a test hook that records a usage record like a batch does. */
  readonly budget: BudgetApi;
  /** Ticket review: the workspace storage it reads batches from, and the findings' comment threads now shown. */
  readonly review: {
    readonly storageDir: string | undefined;
    threads(): readonly vscode.CommentThread[];
    /** Test mode only: answer the review commands' ticket pick and confirmations (and see what they asked). */
    usePrompts?(prompts: ReviewPrompts): vscode.Disposable;
  };
  /** Test mode only: answer Flotilla's messages with buttons (the run confirmation, next steps) and see what they said. */
  readonly notices?: { useAnswers(answers: NoticeAnswers): vscode.Disposable };
  /** Test mode only: mark a folder as the demo's just opened, and land as its window does (Flotilla view, walkthrough). */
  readonly demo?: { expectLanding(folder: string): Thenable<void>; land(): Promise<boolean> };
  /** The batch panel: handshake, what was posted and acknowledged, the host's state. Test mode only. */
  readonly panel?: PanelTestApi;
  /** Batches of this window: a ticket's latest run, the running batch, usage as it is recorded. */
  readonly batches: {
    runOf(ticketId: string): TicketRunView | undefined;
    readonly activeBatchId: string | undefined;
    readonly onDidRecordUsage: vscode.Event<UsageRecord>;
    /** Test hook: the simulated model answers this much slower (between batches only). */
    setSimulatedLatency(ms: number): Promise<void>;
  };
}

export type { TicketNode };
