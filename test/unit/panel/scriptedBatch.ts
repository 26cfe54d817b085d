import { estimateBatch } from '../../../src/core/batch/batchEstimate';
import type { BatchModeChoice } from '../../../src/core/vocabulary/batchStates';
import { summarizeBatch } from '../../../src/core/batch/batchSummary';
import type { BatchEvent, BatchSummary, TicketRecord } from '../../../src/core/batch/batchTypes';
import type { BatchEndState } from '../../../src/core/vocabulary/batchStates';
import { UsageTally } from '../../../src/core/batch/usageTally';
import { costOf } from '../../../src/core/llm/cost';
import { priceFor } from '../../../src/core/llm/pricing';
import { DEFAULT_TIER_MODELS } from '../../../src/core/llm/tiers';
import type { Stage, Tier, UsageRecord, WorkerEngineName } from '../../../src/core/llm/usageRecord';
import { initialRecord } from '../../../src/core/batch/ticketPipeline';
import type { RouteDecision } from '../../../src/core/routing/routeTicket';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import type { WorkerEvent } from '../../../src/core/worker/workerEvents';
import { ticket } from '../batch/batchHarness';

/**
 * Synthetic batches for the panel's tests, the webview tests and the panel bench: the events a real
 * batch emits, usage records priced from the real pricing table, and a summary from the real
 * summarizeBatch, all on a virtual clock.
 */
export class VirtualClock {
  constructor(public t = Date.parse('2026-11-02T09:00:00.000Z')) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TicketSpec {
  readonly id: string;
  readonly title?: string;
  readonly tier?: Tier;
  readonly complexityClass?: string;
  readonly score?: number;
}

export function ticketRecord(spec: TicketSpec): TicketRecord {
  const tier = spec.tier ?? 'fast';
  const complexityClass = spec.complexityClass ?? 'mechanical';
  const decision: RouteDecision = {
    id: spec.id,
    score: spec.score ?? 20,
    complexityClass: complexityClass as RouteDecision['complexityClass'],
    tier,
    modelId: null,
    maxTier: 'strong',
    source: 'score',
    reason: `score ${spec.score ?? 20} → ${complexityClass} → ${tier}`,
    underspecified: false,
    missing: [],
  };
  return initialRecord(ticket(spec.id, spec.title === undefined ? {} : { title: spec.title }), decision, DEFAULT_TIER_MODELS);
}

export interface Tokens {
  readonly input: number;
  readonly output: number;
  readonly cacheRead?: number;
  readonly cacheWrite?: number;
}

/** Anything that takes a batch's events and usage records (the PanelModel, or a recorder of them). */
export interface BatchSink {
  onBatchEvent(event: BatchEvent): void;
  onUsage(record: UsageRecord): void;
}

/** Drives one batch into a sink: each call advances nothing by itself; the test moves the clock. */
export class ScriptedBatch {
  readonly tally = new UsageTally();
  readonly records = new Map<string, TicketRecord>();
  readonly settings = defaultSettings();
  readonly estimate;
  private readonly startedAt: string;
  private requests = 0;

  constructor(
    private readonly sink: BatchSink,
    private readonly clock: VirtualClock,
    readonly batchId: string,
    tickets: readonly TicketSpec[],
    readonly mode: BatchModeChoice = 'auto',
    readonly simulated = true,
  ) {
    for (const t of tickets) this.records.set(t.id, ticketRecord(t));
    const decisions = [...this.records.values()].map((r) => ({ tier: r.tier }) as RouteDecision);
    this.estimate = estimateBatch({ decisions, tierModels: this.settings['llm.tiers'], pricing: {}, choice: mode, maxCostPerRunUsd: 2, runsPerTicket: 3 });
    this.startedAt = new Date(clock.now()).toISOString();
  }

  /** The worker engine the batch says it chose (set before start()). */
  engine: { name: WorkerEngineName; reason: string } = { name: 'builtin', reason: 'the built-in engine was chosen' };

  start(): void {
    this.sink.onBatchEvent({ type: 'batch-started', batchId: this.batchId, baseCommit: 'abc123', estimate: this.estimate, tickets: [...this.records.values()].map((r) => ({ ...r })), simulated: this.simulated, engine: this.engine });
  }

  planning(status: 'started' | 'done' | 'fallback' | 'skipped', detail = 'one planning call for the batch'): void {
    this.sink.onBatchEvent({ type: 'planning', status, detail });
  }

  record(id: string): TicketRecord {
    const record = this.records.get(id);
    if (!record) throw new Error(`no ticket ${id}`);
    return record;
  }

  /** A ticket-state event with these changes (cost and tokens from the tally, as the pipeline does). */
  state(id: string, changes: Partial<TicketRecord>): void {
    const record = this.record(id);
    Object.assign(record, changes);
    const totals = this.tally.totals({ batchId: this.batchId, ticketId: id });
    record.costUsd = totals.costUsd;
    record.tokens = totals.inputTokens + totals.outputTokens + totals.cacheReadTokens + totals.cacheWrite5mTokens + totals.cacheWrite1hTokens;
    this.sink.onBatchEvent({ type: 'ticket-state', ticket: { ...record, stages: [...record.stages], tierHistory: [...record.tierHistory] } });
  }

  worker(id: string, event: WorkerEvent): void {
    this.sink.onBatchEvent({ type: 'worker', id, event });
  }

  /** One model call, priced from the pricing table, recorded now. */
  call(ticketId: string | null, stage: Stage, tier: Tier, tokens: Tokens, latencyMs = 800): UsageRecord {
    const model = DEFAULT_TIER_MODELS[tier];
    const usage = { inputTokens: tokens.input, outputTokens: tokens.output, cacheReadTokens: tokens.cacheRead ?? 0, cacheWrite5mTokens: tokens.cacheWrite ?? 0, cacheWrite1hTokens: 0 };
    const price = priceFor(model);
    const record: UsageRecord = {
      v: 1,
      ts: new Date(this.clock.now()).toISOString(),
      workspace: '/work/demo',
      batchId: this.batchId,
      ticketId,
      stage,
      model,
      tier,
      ...usage,
      costUsd: price ? costOf(usage, price) : null,
      latencyMs,
      requestId: `req_${++this.requests}`,
      cached: false,
      attempt: 1,
    };
    this.tally.add(record);
    this.sink.onUsage(record);
    return record;
  }

  escalate(id: string, to: Tier, reason: string): void {
    const record = this.record(id);
    const from = record.model;
    const model = DEFAULT_TIER_MODELS[to];
    record.tierHistory.push({ tier: to, model, reason });
    this.state(id, { tier: to, model, escalations: record.escalations + 1, detail: reason });
    this.sink.onBatchEvent({ type: 'ticket-escalated', id, from, to: model, reason });
  }

  cost(): void {
    const totals = this.tally.totals({ batchId: this.batchId });
    this.sink.onBatchEvent({ type: 'cost', batchCostUsd: totals.costUsd, tokens: totals.inputTokens + totals.outputTokens + totals.cacheReadTokens + totals.cacheWrite5mTokens + totals.cacheWrite1hTokens });
  }

  finish(state: BatchEndState): BatchSummary {
    const summary = summarizeBatch({
      batchId: this.batchId,
      state,
      mode: this.estimate.mode,
      startedAt: this.startedAt,
      endedAt: new Date(this.clock.now()).toISOString(),
      concurrency: 3,
      simulated: this.simulated,
      planning: null,
      records: [...this.records.values()],
      tally: this.tally,
      estimate: this.estimate,
      settings: this.settings,
      strongModel: DEFAULT_TIER_MODELS.strong,
    });
    this.sink.onBatchEvent({ type: 'batch-finished', state, summary });
    return summary;
  }

  /**
   * One ticket from queued to done on its tier: a worker with `turns` turns, a review with gates
   * and (from `standard` up) one model review call.
   */
  runToDone(id: string, step: number, turns = 3): void {
    const record = this.record(id);
    this.state(id, { state: 'running', detail: `working on ${record.model}` });
    for (let turn = 1; turn <= turns; turn++) {
      this.clock.advance(step);
      this.worker(id, { kind: 'turn', turn, model: record.model });
      this.worker(id, { kind: 'tool', turn, name: 'read_file', summary: `src/${id}.ts` });
      this.call(id, 'work', record.tier ?? 'fast', { input: 1200, output: 300, cacheRead: turn > 1 ? 4000 : 0, cacheWrite: turn === 1 ? 4000 : 0 });
    }
    record.stages.push({ stage: 'work', model: record.model, tier: record.tier, tokens: 0, costUsd: 0, result: 'done: edited', engine: this.engine.name });
    this.state(id, { branch: `flotilla/${this.batchId}/${id}`, diffStats: [{ path: `src/${id}.ts`, added: 4, deleted: 1 }] });
    this.state(id, { state: 'reviewing', detail: 'running gates and review' });
    this.clock.advance(step);
    this.call(id, 'review', 'fast', { input: 3000, output: 200 }, Math.round(step / 2));
    this.clock.advance(step);
    this.state(id, { review: { level: 'standard', result: 'PASS', findings: 0 } });
    this.state(id, { state: 'done', detail: `${id} done` });
  }
}
