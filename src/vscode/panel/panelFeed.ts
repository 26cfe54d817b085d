import type * as vscode from 'vscode';
import type { BatchEvent } from '../../core/batch/batchTypes';
import { errorForLog } from '../../core/errorText';
import type { UsageRecord } from '../../core/llm/usageRecord';
import { loadPanelStorage, readBatchDecisions, readTicketGates } from '../../core/panel/loadPanelStorage';
import { PanelModel, panelSettings } from '../../core/panel/panelModel';
import { LiveMonthSpend } from '../../core/report/liveMonthSpend';
import { countedSpendUsd } from '../../core/report/monthSpendTally';
import type { Settings } from '../../core/settings/settingsSchema';
import type { TicketSet } from '../../core/tickets/loadTickets';
import { DisposableStore } from '../disposables';
import type { BatchActivity } from '../flotillaContext';
import { log } from '../log';
import { BatchFileWatch } from './batchFileWatch';

/**
 * Where the panel's data comes from: the one seam to move when the session API replaces today's
 * engine (batch events come from BatchEngine.onDidEmit now, usage records from the context).
 */
export interface PanelSources {
  readonly onBatchEvent: vscode.Event<BatchEvent>;
  readonly onUsage: vscode.Event<UsageRecord>;
  readonly onBatchActivity: vscode.Event<BatchActivity>;
  readonly tickets: { get(): Promise<TicketSet>; readonly onDidChange: vscode.Event<TicketSet> };
  readonly storageDir: string | undefined;
  readonly globalStorageDir: string;
  readonly settings: () => Settings;
}

const dependenciesOf = (set: TicketSet): Map<string, readonly string[]> => new Map(set.tickets.filter((t) => t.dependsOn.length > 0).map((t) => [t.id, t.dependsOn]));

/**
 * The panel's state for the whole window, whether the panel is open or not, so a panel opened mid-batch
 * (or reopened) shows the batch from its start. Folding events is cheap; storage is read only when a
 * panel first needs it, and again when a batch ends. Closing the panel leaves this running.
 */
export class PanelFeed extends DisposableStore {
  readonly model: PanelModel;
  private readonly spend: LiveMonthSpend;
  private loaded: Promise<void> | undefined;

  constructor(private readonly sources: PanelSources) {
    super();
    this.model = new PanelModel({ clock: Date.now, settings: () => panelSettings(sources.settings()) });
    this.spend = new LiveMonthSpend({ globalStorage: sources.globalStorageDir });
    this.register(sources.onBatchEvent((event) => this.onEvent(event)));
    this.register(
      sources.onUsage((record) => {
        this.model.onUsage(record);
        if (this.spend.add(record)) this.model.setMonthSpend(this.monthSpendUsd());
      }),
    );
    this.register(sources.onBatchActivity((activity) => void (activity.running ? undefined : this.reload())));
    this.register(sources.tickets.onDidChange((set) => this.model.setDependencies(dependenciesOf(set))));
    const storage = sources.storageDir;
    if (storage !== undefined) {
      const watch = this.register(new BatchFileWatch(storage, (batchId) => void this.decisionsChanged(storage, batchId)));
      const unsubscribe = this.model.onDidChange(() => watch.follow(this.model.batchId));
      this.register({ dispose: unsubscribe });
    }
  }

  /** Reads storage the first time a panel opens; later calls share that read. */
  ensureLoaded(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  /** History, the month's spend, review decisions, and the newest batch when none is shown live. */
  async reload(): Promise<void> {
    try {
      await this.spend.ensureLoaded();
      this.model.setMonthSpend(this.monthSpendUsd());
      this.model.setDependencies(dependenciesOf(await this.sources.tickets.get()));
      const storage = this.sources.storageDir;
      if (storage === undefined) return;
      const settings = this.sources.settings();
      const data = await loadPanelStorage({
        storage,
        globalStorage: this.sources.globalStorageDir,
        threshold: settings['routing.threshold'],
        minSamples: settings['routing.minSamples'],
        logger: log,
      });
      this.model.setHistory(data.history);
      const latest = data.latest;
      if (!latest) return;
      if (this.model.batchId === null || (!this.model.live && this.model.batchId !== latest.state.id)) this.model.showStored(latest);
      else if (this.model.batchId === latest.state.id) this.model.setDecisions(latest.state.id, latest.decisions);
    } catch (error) {
      log.error(`Batch panel: could not read storage: ${errorForLog(error)}`);
    }
  }

  /** The month's spend as the budget counts it (calls of unknown outcome at their worst case), or null before the ledger was read. */
  private monthSpendUsd(): number | null {
    const snapshot = this.spend.snapshot();
    return snapshot === null ? null : countedSpendUsd(snapshot);
  }

  /**
   * The shown batch's state.json changed: a running batch only needs its decisions read again; a
   * finished one changes only by decisions, which the History tab counts too.
   */
  private async decisionsChanged(storage: string, batchId: string): Promise<void> {
    if (this.model.batchId !== batchId) return;
    if (!this.model.running) {
      await this.reload();
      return;
    }
    try {
      const decisions = await readBatchDecisions(storage, batchId, log);
      if (decisions) this.model.setDecisions(batchId, decisions);
    } catch (error) {
      log.warn(`Batch panel: could not read the decisions of batch ${batchId}: ${errorForLog(error)}`);
    }
  }

  private onEvent(event: BatchEvent): void {
    this.model.onBatchEvent(event);
    // A ticket's gates are in its review file, written beside the event that carries the review (not
    // awaited by the batch): read on each such event and once more when the batch ends.
    if (event.type === 'ticket-state' && event.ticket.review !== null) this.readGates(event.ticket.id);
    if (event.type === 'batch-finished') for (const t of event.summary.tickets) if (t.review !== null) this.readGates(t.id);
  }

  private readGates(ticketId: string): void {
    const storage = this.sources.storageDir;
    const batchId = this.model.batchId;
    if (storage === undefined || batchId === null) return;
    readTicketGates(storage, batchId, ticketId).then(
      (gates) => {
        if (gates) this.model.setGates(batchId, ticketId, gates);
      },
      (error: unknown) => log.warn(`Batch panel: could not read the gates of ${ticketId}: ${errorForLog(error)}`),
    );
  }
}
