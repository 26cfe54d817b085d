import * as vscode from 'vscode';
import { errorForLog } from '../core/errorText';
import type { StoredTicketState } from '../core/session/lifecycleText';
import { latestLifecycles } from '../core/session/ticketLifecycle';
import { BatchStateStore } from '../core/store/batchStateStore';
import { DisposableStore } from './disposables';
import type { BatchActivity } from './flotillaContext';
import { log } from './log';
import type { TicketsModel } from './ticketsModel';

/** True while at least one ticket's latest run waits for Accept or Reject: the decisions show in the palette. */
export const AWAITING_REVIEW_CONTEXT = 'flotilla.awaitingReview';

/**
 * Each ticket's lifecycle as the stored batch state says (the source of truth the panel and
 * `flotilla status` read too), so the tree shows accepted, rejected and awaiting review after a
 * window reload. Loaded when the tickets first show, after every batch and after every decision.
 */
export class TicketLifecycles extends DisposableStore {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private latest = new Map<string, StoredTicketState>();
  private loading: Promise<void> | undefined;

  constructor(private readonly storageDir: string | undefined) {
    super();
  }

  /** Loads when the tickets first show (not at activation), and again whenever a batch stops running. */
  follow(tickets: TicketsModel, onDidChangeBatchActivity: vscode.Event<BatchActivity>): void {
    const first = this.register(
      tickets.onDidChange(() => {
        first.dispose();
        void this.refresh();
      }),
    );
    this.register(
      onDidChangeBatchActivity((activity) => {
        if (!activity.running) void this.refresh();
      }),
    );
  }

  entryOf(ticketId: string): StoredTicketState | undefined {
    return this.latest.get(ticketId);
  }

  /** Tickets whose latest run waits for a decision. */
  awaitingReview(): readonly StoredTicketState[] {
    return [...this.latest.values()].filter((e) => e.state === 'awaitingReview');
  }

  /** Reloads from storage; concurrent calls share one read, a later call reads again. */
  refresh(): Promise<void> {
    const next = (this.loading ?? Promise.resolve()).then(() => this.load());
    this.loading = next;
    return next;
  }

  private async load(): Promise<void> {
    if (!this.storageDir) return;
    try {
      const { batches } = await new BatchStateStore({ storage: this.storageDir, logger: log }).list();
      const states = new Map(batches.map((b) => [b.state.id, b.state]));
      this.latest = new Map(
        [...latestLifecycles(batches)].map(([id, entry]) => [id, { ...entry, tier: states.get(entry.batchId)?.tickets[id]?.tierHistory.at(-1)?.tier ?? null }]),
      );
    } catch (error) {
      // The tree still shows the tickets; only their past runs are missing until the next refresh.
      log.warn(`Could not read the stored batches for the ticket states: ${errorForLog(error)}`);
    }
    await vscode.commands.executeCommand('setContext', AWAITING_REVIEW_CONTEXT, this.awaitingReview().length > 0);
    this.changed.fire();
  }
}
