import type { BatchEstimate } from '../batch/batchEstimate';
import type { BatchEvent, BatchSummary } from '../batch/batchTypes';
import type { UsageRecord, WorkerEngineName } from '../llm/usageRecord';
import { totalTokens } from '../batch/usageTally';
import { LaneFold } from './laneFold';
import { modeSentence } from './modeSentence';
import type { BatchHeader, CurrentBatch, Lane, TicketRow, TimelineFrame } from './panelSnapshot';
import type { BatchPhase } from '../vocabulary/batchStates';
import { SavingsFold, type SavingsSettings } from './savingsFold';
import type { Decision, TicketLifecycle } from '../vocabulary/ticketStates';
import { TicketRowFold, type GateCell, type RowSource } from './ticketRowFold';

export interface BatchFoldSettings extends SavingsSettings {
  readonly maxTurns: number;
}

export interface BatchStart {
  readonly batchId: string;
  readonly startedAtMs: number;
  readonly mode: string;
  readonly estimate: BatchEstimate | null;
  readonly simulated: boolean;
  readonly live: boolean;
  readonly tickets: readonly RowSource[];
  /** The worker engine the batch chose (older stored batches do not say). */
  readonly engine?: WorkerEngineName | null;
}

/** The figures a finished batch's summary (or its report) settles. */
export interface StoredFigures {
  readonly totals: { readonly costUsd: number | null; readonly tokens: number };
  readonly analysis: { readonly singleAgentEstimateUsd: number | null };
}

/** What changed since the last `takeChanges()`. */
export interface BatchChanges {
  readonly rows: readonly string[];
  readonly lanes: readonly string[];
  readonly header: boolean;
}

/**
 * One batch as the panel shows it, folded from its events and usage records as they arrive (or built
 * from storage by storedBatchFold.ts). Times are on the injected clock, relative to the batch start.
 */
export class BatchFold {
  readonly batchId: string;
  readonly live: boolean;
  private ended: number | null = null;
  private state: BatchPhase = 'running';
  private mode: string;
  private readonly estimate: BatchEstimate | null;
  private readonly simulated: boolean;
  private planningText: string | null = null;
  private planningSpan: { fromMs: number; toMs: number | null } | null = null;
  private readonly rows = new Map<string, TicketRowFold>();
  private readonly lanes = new Map<string, LaneFold>();
  private readonly savings: SavingsFold;
  private usageUsd: number | null = 0;
  private usageTokens = 0;
  /** The batch tally's total minus the records seen here (earlier runs of a resumed batch). */
  private offset = { usd: 0, tokens: 0 };
  private summary: StoredFigures | null = null;
  private stopReason: string | null = null;
  private dependencies = new Map<string, readonly string[]>();
  private dirtyRows = new Set<string>();
  private dirtyLanes = new Set<string>();
  private dirtyHeader = true;
  timelineNote: string | null = null;

  constructor(
    readonly start: BatchStart,
    private readonly settings: BatchFoldSettings,
  ) {
    this.batchId = start.batchId;
    this.live = start.live;
    this.mode = start.mode;
    this.estimate = start.estimate;
    this.simulated = start.simulated;
    this.savings = new SavingsFold(settings);
    for (const ticket of start.tickets) this.upsert(ticket, 0);
  }

  get running(): boolean {
    return this.live && this.ended === null;
  }

  ticketIds(): readonly string[] {
    return [...this.rows.keys()];
  }

  lane(ticketId: string): LaneFold | undefined {
    return this.lanes.get(ticketId);
  }

  onEvent(event: BatchEvent, atMs: number): void {
    switch (event.type) {
      case 'batch-started':
        return;
      case 'planning':
        this.onPlanning(event.status, event.detail, atMs);
        return;
      case 'ticket-state':
        if (this.rows.has(event.ticket.id) || this.running) this.upsert(event.ticket, atMs);
        return;
      case 'ticket-escalated':
        this.dirtyRows.add(event.id);
        return;
      case 'worker':
        if (this.rows.get(event.id)?.onWorker(event.event, this.settings.maxTurns)) this.dirtyRows.add(event.id);
        return;
      case 'cost':
        this.offset = { usd: event.batchCostUsd === null || this.usageUsd === null ? 0 : event.batchCostUsd - this.usageUsd, tokens: event.tokens - this.usageTokens };
        if (event.batchCostUsd === null) this.usageUsd = null;
        this.dirtyHeader = true;
        return;
      case 'batch-finished':
        this.finish(event.summary, atMs);
        return;
    }
  }

  onUsage(record: UsageRecord, atMs: number): void {
    this.savings.add(record);
    this.usageUsd = this.usageUsd === null || record.costUsd === null ? null : this.usageUsd + record.costUsd;
    this.usageTokens += totalTokens(record);
    this.dirtyHeader = true;
    if (record.ticketId === null) return;
    const row = this.rows.get(record.ticketId);
    if (!row) return;
    row.addUsage(record);
    this.dirtyRows.add(record.ticketId);
    const lane = this.lanes.get(record.ticketId);
    if (record.stage === 'review' && lane?.current?.kind === 'gates') {
      // A model review follows the command gates: its first call started `latencyMs` before it was recorded.
      const ended = Date.parse(record.ts);
      const startedAbs = Number.isNaN(ended) ? this.start.startedAtMs + atMs : ended - record.latencyMs;
      lane.open('review', null, Math.min(atMs, Math.max(0, startedAbs - this.start.startedAtMs)));
      this.dirtyLanes.add(record.ticketId);
    }
  }

  setGates(ticketId: string, gates: readonly GateCell[]): void {
    const row = this.rows.get(ticketId);
    if (!row) return;
    row.gates = gates;
    this.dirtyRows.add(ticketId);
  }

  setDecisions(decisions: Readonly<Record<string, Decision>>): void {
    for (const [id, row] of this.rows) {
      const next = decisions[id] ?? null;
      if (row.decision === next) continue;
      row.decision = next;
      this.dirtyRows.add(id);
      // The lane's end says the lifecycle too: awaiting review becomes accepted or rejected.
      if (row.finished && this.lanes.get(id)?.finish(row.lifecycle(), 0)) this.dirtyLanes.add(id);
    }
  }

  /** Which tickets each ticket waits for; a queued ticket with an unfinished one is shown as waiting. */
  setDependencies(dependencies: ReadonlyMap<string, readonly string[]>): void {
    this.dependencies = new Map(dependencies);
    for (const [id, lane] of this.lanes) {
      const open = lane.current?.kind;
      if ((open === 'queued' || open === 'waiting') && lane.relabel(this.waits(id) ? 'waiting' : 'queued')) this.dirtyLanes.add(id);
      if (this.rows.get(id)?.rowState === 'queued') this.dirtyRows.add(id);
    }
  }

  /** A stored batch: the summary's figures stand in for the events that were not seen. */
  setStored(input: { readonly state: BatchPhase; readonly endedAtMs: number | null; readonly summary: StoredFigures | null; readonly spentUsd: number | null; readonly tokens: number }): void {
    this.state = input.state;
    this.ended = input.endedAtMs;
    this.summary = input.summary;
    this.offset = { usd: input.spentUsd === null || this.usageUsd === null ? 0 : input.spentUsd - this.usageUsd, tokens: input.tokens - this.usageTokens };
    if (input.spentUsd === null) this.usageUsd = null;
    if (input.state === 'interrupted') for (const row of this.rows.values()) row.interrupt();
    this.dirtyHeader = true;
  }

  takeChanges(): BatchChanges {
    const changes = { rows: [...this.dirtyRows], lanes: [...this.dirtyLanes], header: this.dirtyHeader || this.dirtyRows.size > 0 || this.dirtyLanes.size > 0 };
    this.dirtyRows = new Set();
    this.dirtyLanes = new Set();
    this.dirtyHeader = false;
    return changes;
  }

  row(id: string): TicketRow | undefined {
    return this.rows.get(id)?.row(this.running, this.running, this.waitingOn(id), this.start.engine ?? null);
  }

  laneOf(id: string): Lane | undefined {
    return this.lanes.get(id)?.lane();
  }

  elapsedMs(nowMs: number): number {
    return Math.max(0, (this.ended ?? nowMs - this.start.startedAtMs));
  }

  header(nowMs: number, budget: BatchHeader['budget']): BatchHeader {
    const lifecycles = [...this.rows.values()].map((r) => r.lifecycle());
    const n = (...states: TicketLifecycle[]) => lifecycles.filter((s) => states.includes(s)).length;
    const spent = this.summary ? this.summary.totals.costUsd : this.usageUsd === null ? null : this.usageUsd + this.offset.usd;
    const be = this.estimate?.breakEven;
    return {
      batchId: this.batchId,
      state: this.state,
      live: this.running,
      startedAt: new Date(this.start.startedAtMs).toISOString(),
      endedAt: this.ended === null ? null : new Date(this.start.startedAtMs + this.ended).toISOString(),
      elapsedMs: this.elapsedMs(nowMs),
      mode: this.mode,
      modeSentence: modeSentence(this.mode, this.estimate, lifecycles.length),
      simulated: this.simulated,
      planning: this.planningText,
      spentUsd: spent,
      tokens: this.summary ? this.summary.totals.tokens : this.usageTokens + this.offset.tokens,
      estimate: be && this.estimate ? { overheadOrchestratedUsd: be.orchestratedUsd, overheadSingleAgentUsd: be.singleAgentUsd, capUsd: this.estimate.capUsd } : null,
      singleAgentUsd: this.singleAgentItem(),
      budget,
      counts: {
        total: lifecycles.length,
        active: n('queued', 'waiting', 'running', 'gates'),
        done: n('awaitingReview', 'accepted', 'rejected'),
        awaitingReview: n('awaitingReview'),
        accepted: n('accepted'),
        rejected: n('rejected'),
        failed: n('failed', 'blocked'),
        other: n('cancelled', 'interrupted'),
      },
      stopReason: this.stopReason,
    };
  }

  timeline(nowMs: number): TimelineFrame {
    return { originMs: this.start.startedAtMs, nowMs: this.elapsedMs(nowMs), planning: this.planningSpan ? { ...this.planningSpan } : null, note: this.timelineNote };
  }

  current(nowMs: number, budget: BatchHeader['budget']): CurrentBatch {
    return {
      header: this.header(nowMs, budget),
      rows: [...this.rows.keys()].map((id) => this.row(id) as TicketRow),
      timeline: this.timeline(nowMs),
      lanes: [...this.lanes.values()].map((l) => l.lane()),
      savings: this.savingsItems(),
    };
  }

  savingsItems(): CurrentBatch['savings'] {
    const be = this.estimate?.breakEven;
    const delta = this.mode === 'orchestrated' ? (be ? be.singleAgentUsd - be.orchestratedUsd : null) : 0;
    return this.savings.items({ mode: this.mode, overheadDeltaUsd: delta, ...(this.summary ? { singleAgentUsd: this.summary.analysis.singleAgentEstimateUsd } : {}) });
  }

  private singleAgentItem(): number | null {
    return this.savingsItems().find((s) => s.kind === 'batching')?.baselineUsd ?? null;
  }

  private onPlanning(status: 'started' | 'done' | 'fallback' | 'skipped', detail: string, atMs: number): void {
    if (status === 'started') {
      this.state = 'planning';
      this.planningSpan = { fromMs: atMs, toMs: null };
      this.planningText = `Shared planning: ${detail}`;
    } else {
      if (this.state === 'planning') this.state = 'running';
      if (this.planningSpan) this.planningSpan = { ...this.planningSpan, toMs: Math.max(this.planningSpan.fromMs, atMs) };
      this.planningText = status === 'done' ? `Shared plan: ${detail}` : status === 'fallback' ? `Shared planning fell back to a plan without the model: ${detail}` : null;
    }
    this.dirtyHeader = true;
  }

  private waitingOn(id: string): string[] {
    return (this.dependencies.get(id) ?? []).filter((dep) => this.rows.has(dep) && this.rows.get(dep)?.rowState !== 'done');
  }

  private waits(id: string): boolean {
    return this.waitingOn(id).length > 0;
  }

  private upsert(source: RowSource, atMs: number): void {
    let row = this.rows.get(source.id);
    let lane = this.lanes.get(source.id);
    if (!row || !lane) {
      row = new TicketRowFold(source);
      lane = new LaneFold(source.id);
      this.rows.set(source.id, row);
      this.lanes.set(source.id, lane);
    } else {
      row.update(source);
    }
    this.dirtyRows.add(source.id);
    if (this.moveLane(lane, row, atMs)) this.dirtyLanes.add(source.id);
    if (row.rowState === 'done') this.releaseDependents(source.id, atMs);
  }

  private moveLane(lane: LaneFold, row: TicketRowFold, atMs: number): boolean {
    const state = row.rowState;
    const open = lane.current?.kind;
    if (state === 'running') return lane.open('working', row.tier, atMs);
    if (state === 'reviewing') return open === 'gates' || open === 'review' ? false : lane.open('gates', null, atMs);
    if (state === 'queued') return open === 'queued' || open === 'waiting' ? false : lane.open(this.waits(row.id) ? 'waiting' : 'queued', null, atMs);
    return row.finished ? lane.finish(row.lifecycle(), atMs) : false;
  }

  private releaseDependents(doneId: string, atMs: number): void {
    for (const [id, deps] of this.dependencies) {
      const lane = this.lanes.get(id);
      if (!deps.includes(doneId)) continue;
      // Its row names what it still waits for.
      if (this.rows.get(id)?.rowState === 'queued') this.dirtyRows.add(id);
      if (lane?.current?.kind !== 'waiting' || this.waits(id)) continue;
      lane.open('queued', null, atMs);
      this.dirtyLanes.add(id);
    }
  }

  private finish(summary: BatchSummary, atMs: number): void {
    for (const ticket of summary.tickets) this.upsert(ticket, atMs);
    for (const [id, lane] of this.lanes) {
      if (!lane.current) continue;
      lane.close(atMs);
      this.dirtyLanes.add(id);
    }
    this.ended = atMs;
    this.state = summary.state;
    this.mode = summary.mode;
    this.summary = { totals: summary.totals, analysis: summary.analysis };
    this.stopReason = summary.stopReason ?? null;
    this.dirtyHeader = true;
  }
}
