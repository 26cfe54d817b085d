import type { BatchEvent } from '../batch/batchTypes';
import { modelForTier } from '../llm/tiers';
import type { UsageRecord } from '../llm/usageRecord';
import type { Settings } from '../settings/settingsSchema';
import { BatchFold, type BatchFoldSettings } from './batchFold';
import { PANEL_PROTOCOL_VERSION, type HostMessage } from './panelProtocol';
import { EMPTY_HISTORY, type BatchHeader, type Lane, type PanelHistory, type PanelSnapshot, type TicketRow } from './panelSnapshot';
import { foldStoredBatch, type StoredBatchInput } from './storedBatchFold';
import type { GateCell } from './ticketRowFold';
import type { Decision } from '../vocabulary/ticketStates';

export interface PanelSettings extends BatchFoldSettings {
  /** The monthly limit in USD; 0 for none. */
  readonly monthlyUsd: number;
}

export interface PanelModelOptions {
  readonly clock: () => number;
  readonly settings: () => PanelSettings;
}

/**
 * The batch panel's state, owned by the extension host (CONVENTIONS.md 8): the current batch folded
 * from its events and usage records (or read back from storage), the history tab, and the month's
 * spend. The view only renders what `takeMessage()` hands out: a full snapshot after a reset or on
 * (re)open, otherwise an update with what changed since the last message.
 */
export class PanelModel {
  private current: BatchFold | null = null;
  private history: PanelHistory = EMPTY_HISTORY;
  private monthSpentUsd: number | null = null;
  private dependencies = new Map<string, readonly string[]>();
  private rev = 0;
  private reset = true;
  private historyDirty = false;
  private budgetDirty = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: PanelModelOptions) {}

  /** Called after every change; the host coalesces these into at most 10 messages a second. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get batchId(): string | null {
    return this.current?.batchId ?? null;
  }

  /** Whether the current batch was followed live in this window (not read back from storage). */
  get live(): boolean {
    return this.current?.live ?? false;
  }

  /** Whether the current batch is running in this window. */
  get running(): boolean {
    return this.current?.running ?? false;
  }

  onBatchEvent(event: BatchEvent): void {
    const now = this.options.clock();
    if (event.type === 'batch-started') {
      const settings = this.options.settings();
      this.current = new BatchFold(
        { batchId: event.batchId, startedAtMs: now, mode: event.estimate.mode, estimate: event.estimate, simulated: event.simulated, live: true, tickets: event.tickets, engine: event.engine?.name ?? null },
        settings,
      );
      this.current.setDependencies(this.dependencies);
      this.reset = true;
    } else if (this.current?.live) {
      this.current.onEvent(event, now - this.current.start.startedAtMs);
    } else {
      return;
    }
    this.changed();
  }

  /** Every usage record of the window; only the current batch's count here (the month's spend comes from the host). */
  onUsage(record: UsageRecord): void {
    if (!this.current || record.batchId !== this.current.batchId) return;
    this.current.onUsage(record, this.options.clock() - this.current.start.startedAtMs);
    this.changed();
  }

  setGates(batchId: string, ticketId: string, gates: readonly GateCell[]): void {
    if (this.current?.batchId !== batchId) return;
    this.current.setGates(ticketId, gates);
    this.changed();
  }

  setDecisions(batchId: string, decisions: Readonly<Record<string, Decision>>): void {
    if (this.current?.batchId !== batchId) return;
    this.current.setDecisions(decisions);
    this.changed();
  }

  /** `dependsOn` of the tickets as loaded; kept for the next batch too. */
  setDependencies(dependencies: ReadonlyMap<string, readonly string[]>): void {
    this.dependencies = new Map(dependencies);
    if (!this.current?.running) return;
    this.current.setDependencies(this.dependencies);
    this.changed();
  }

  /** Shows a batch from storage, unless a batch is running in this window (its live view wins). */
  showStored(input: StoredBatchInput): boolean {
    if (this.current?.running) return false;
    this.current = foldStoredBatch(input, this.options.settings());
    this.reset = true;
    this.changed();
    return true;
  }

  setHistory(history: PanelHistory): void {
    this.history = history;
    this.historyDirty = true;
    this.changed();
  }

  setMonthSpend(spentUsd: number | null): void {
    if (spentUsd === this.monthSpentUsd) return;
    this.monthSpentUsd = spentUsd;
    this.budgetDirty = true;
    this.changed();
  }

  snapshot(): PanelSnapshot {
    return { current: this.current?.current(this.options.clock(), this.budget()) ?? null, history: this.history };
  }

  /**
   * The next message for the view, or null when nothing changed. `full` forces a snapshot (a view
   * that just said `ready` or asked to resync).
   */
  takeMessage(full = false): HostMessage | null {
    const changes = this.current?.takeChanges();
    if (full || this.reset) {
      this.reset = false;
      this.historyDirty = false;
      this.budgetDirty = false;
      this.rev += 1;
      return { type: 'snapshot', protocol: PANEL_PROTOCOL_VERSION, rev: this.rev, snapshot: this.snapshot() };
    }
    const currentChanged = changes !== undefined && (changes.header || this.budgetDirty);
    if (!currentChanged && !this.historyDirty) return null;
    const baseRev = this.rev;
    this.rev += 1;
    const now = this.options.clock();
    const current = this.current;
    const message: HostMessage = {
      type: 'update',
      protocol: PANEL_PROTOCOL_VERSION,
      baseRev,
      rev: this.rev,
      rows: current && changes ? changes.rows.flatMap((id): TicketRow[] => { const row = current.row(id); return row ? [row] : []; }) : [],
      lanes: current && changes ? changes.lanes.flatMap((id): Lane[] => { const lane = current.laneOf(id); return lane ? [lane] : []; }) : [],
      ...(current && currentChanged ? { header: current.header(now, this.budget()), timeline: current.timeline(now), savings: current.savingsItems() } : {}),
      ...(this.historyDirty ? { history: this.history } : {}),
    };
    this.historyDirty = false;
    this.budgetDirty = false;
    return message;
  }

  private budget(): BatchHeader['budget'] {
    const limit = this.options.settings().monthlyUsd;
    const monthlyLimitUsd = limit > 0 ? limit : null;
    const spent = this.monthSpentUsd;
    return { monthlyLimitUsd, monthSpentUsd: spent, leftUsd: monthlyLimitUsd !== null && spent !== null ? Math.max(0, monthlyLimitUsd - spent) : null };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The settings the panel reads, from the extension's (or the CLI's) settings. */
export function panelSettings(settings: Settings): PanelSettings {
  return {
    maxTurns: settings['worker.maxTurns'],
    pricing: settings['llm.pricing'],
    strongModel: modelForTier('strong', settings['llm.tiers']),
    monthlyUsd: settings['budget.monthlyUsd'],
  };
}
