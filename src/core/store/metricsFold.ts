import type { ReservationRecord } from '../llm/reservationRecord';
import { TIERS, type Stage, type Tier, type UsageRecord } from '../llm/usageRecord';
import { COMPLEXITY_CLASSES } from '../routing/complexityScore';
import type { OutcomeRow } from '../routing/outcomesTable';
import { METRICS_CLASSES, METRICS_VERSION, type Metrics, type MetricsClass, type ModelClassRow } from './metricsSchema';
import { suggestImprovements } from './metricsSuggestions';
import { OpenReservations, type UnknownOutcomes } from './openReservations';
import { attemptDurationMs, type TicketOutcome } from './ticketOutcome';

/** Stages whose answers the response cache may serve (deterministic prompts). */
const CACHEABLE_STAGES: ReadonlySet<Stage> = new Set(['classify', 'plan', 'review']);

type MutableRow = { -readonly [K in keyof ModelClassRow]: ModelClassRow[K] } & { finishedAttempts: number };

/**
 * Metrics as a fold: outcomes first (a few per batch), then ledger records streamed one by one, so
 * a rebuild from 100,000 records runs in constant memory apart from the per-(model, class) rows.
 * Pure: the same inputs always give the same metrics, which is what makes them rebuildable.
 */
export class MetricsFold {
  private readonly rows = new Map<string, MutableRow>();
  private readonly classOfTicket = new Map<string, MetricsClass>();
  private readonly outcomes = new Map<string, OutcomeRow>();
  private readonly startTiers = new Map<string, number>();
  private readonly batches = new Set<string>();
  private tickets = 0;
  private records = 0;
  private cacheLookups = 0;
  private cacheHits = 0;
  private simulatedCalls = 0;
  private simulatedCostUsd = 0;
  private readonly reservations = new OpenReservations();

  addOutcome(outcome: TicketOutcome): void {
    const cls: MetricsClass = outcome.complexityClass ?? 'unclassified';
    this.classOfTicket.set(ticketKey(outcome.batchId, outcome.ticketId), cls);
    this.batches.add(outcome.batchId);
    this.tickets++;
    const first = outcome.attempts[0];
    if (first !== undefined) this.startTiers.set(`${cls}\u0000${first.tier}`, (this.startTiers.get(`${cls}\u0000${first.tier}`) ?? 0) + 1);
    for (const attempt of outcome.attempts) {
      const row = this.row(attempt.model, cls);
      row.attempts++;
      row.fixLoops += attempt.fixLoops;
      row.durationMs += attemptDurationMs(attempt);
      const firstPass = attempt.result === 'passed' && attempt.fixLoops === 0;
      if (attempt.result !== null) row.finishedAttempts++;
      if (firstPass) row.firstPassSuccesses++;
      if (outcome.complexityClass !== null && attempt.result !== null) this.addOutcomeRow(outcome.complexityClass, attempt.tier, firstPass, attempt.fixLoops, attempt.costUsd);
    }
  }

  /** A reservation record: counted at its worst case until a usage record with its id closes it. */
  addReservation(reservation: ReservationRecord): void {
    this.reservations.add(reservation);
  }

  addRecord(record: UsageRecord): void {
    this.records++;
    this.reservations.add(record);
    if (CACHEABLE_STAGES.has(record.stage) && (record.cached || record.attempt === 1)) {
      this.cacheLookups++;
      if (record.cached) this.cacheHits++;
    }
    if (record.cached) return;
    if (record.simulated) {
      this.simulatedCalls++;
      this.simulatedCostUsd += record.costUsd ?? 0;
    }
    const cls = record.ticketId === null ? 'unclassified' : (this.classOfTicket.get(ticketKey(record.batchId, record.ticketId)) ?? 'unclassified');
    const row = this.row(record.model, cls);
    row.calls++;
    row.inputTokens += record.inputTokens;
    row.outputTokens += record.outputTokens;
    row.cacheReadTokens += record.cacheReadTokens;
    row.cacheWriteTokens += record.cacheWrite5mTokens + record.cacheWrite1hTokens;
    if (record.costUsd === null) row.unpricedCalls++;
    else row.costUsd += record.costUsd;
    row.latencyMs += record.latencyMs;
  }

  finish(generatedAt: string, ledgerProblems = 0): Metrics {
    const byModelClass = [...this.rows.values()]
      .map(({ finishedAttempts, ...row }) => ({ ...row, firstPassRate: finishedAttempts === 0 ? null : row.firstPassSuccesses / finishedAttempts }))
      .sort((a, b) => a.model.localeCompare(b.model) || METRICS_CLASSES.indexOf(a.class) - METRICS_CLASSES.indexOf(b.class));
    const sum = (pick: (r: ModelClassRow) => number) => byModelClass.reduce((s, r) => s + pick(r), 0);
    const totals = {
      calls: sum((r) => r.calls),
      costUsd: sum((r) => r.costUsd),
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      cacheReadTokens: sum((r) => r.cacheReadTokens),
      unpricedCalls: sum((r) => r.unpricedCalls),
      simulatedCalls: this.simulatedCalls,
      simulatedCostUsd: this.simulatedCostUsd,
      ...openReservationTotals(this.reservations.summary((r) => !r.simulated)),
    };
    const metrics: Metrics = {
      v: METRICS_VERSION,
      generatedAt,
      source: { records: this.records, ledgerProblems, batches: this.batches.size, tickets: this.tickets },
      totals,
      byModelClass,
      cache: { lookups: this.cacheLookups, hits: this.cacheHits, hitRate: this.cacheLookups === 0 ? null : this.cacheHits / this.cacheLookups },
      modelMix: this.modelMix(byModelClass, totals.calls, totals.costUsd),
      startTierByClass: this.startTierShares(),
      outcomes: [...this.outcomes.values()],
      suggestions: [],
    };
    return { ...metrics, suggestions: suggestImprovements(metrics) };
  }

  private modelMix(rows: readonly ModelClassRow[], calls: number, costUsd: number): Metrics['modelMix'] {
    const byModel = new Map<string, { calls: number; costUsd: number }>();
    for (const r of rows) {
      const m = byModel.get(r.model) ?? { calls: 0, costUsd: 0 };
      byModel.set(r.model, { calls: m.calls + r.calls, costUsd: m.costUsd + r.costUsd });
    }
    return [...byModel.entries()]
      .filter(([, m]) => m.calls > 0)
      .map(([model, m]) => ({ model, calls: m.calls, callShare: calls === 0 ? 0 : m.calls / calls, costUsd: m.costUsd, costShare: costUsd === 0 ? 0 : Math.min(1, m.costUsd / costUsd) }))
      .sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
  }

  private startTierShares(): Metrics['startTierByClass'] {
    const out: Metrics['startTierByClass'] = [];
    for (const cls of METRICS_CLASSES) {
      const counts = TIERS.map((tier) => this.startTiers.get(`${cls}\u0000${tier}`) ?? 0);
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === 0) continue;
      TIERS.forEach((tier, i) => out.push({ class: cls, tier, tickets: counts[i]!, share: counts[i]! / total }));
    }
    return out;
  }

  private addOutcomeRow(cls: (typeof COMPLEXITY_CLASSES)[number], tier: Tier, firstPass: boolean, fixLoops: number, costUsd: number): void {
    const key = `${cls}\u0000${tier}`;
    const row = this.outcomes.get(key) ?? { class: cls, tier, successes: 0, attempts: 0, fixLoops: 0, costUsd: 0 };
    this.outcomes.set(key, { ...row, successes: row.successes + (firstPass ? 1 : 0), attempts: row.attempts + 1, fixLoops: row.fixLoops + fixLoops, costUsd: row.costUsd + costUsd });
  }

  private row(model: string, cls: MetricsClass): MutableRow {
    const key = `${model}\u0000${cls}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      row = {
        model, class: cls, calls: 0, attempts: 0, firstPassSuccesses: 0, firstPassRate: null, fixLoops: 0, inputTokens: 0, outputTokens: 0,
        cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0, unpricedCalls: 0, durationMs: 0, latencyMs: 0, finishedAttempts: 0,
      };
      this.rows.set(key, row);
    }
    return row;
  }
}

function openReservationTotals(unknown: UnknownOutcomes): { openReservations: number; openReservedUsd: number } {
  return { openReservations: unknown.calls, openReservedUsd: unknown.atMostUsd };
}

function ticketKey(batchId: string, ticketId: string): string {
  return `${batchId}\u0000${ticketId}`;
}

/** The fold over in-memory inputs (tests, small reports). */
export function foldMetrics(records: Iterable<UsageRecord>, outcomes: Iterable<TicketOutcome>, generatedAt: string): Metrics {
  const fold = new MetricsFold();
  for (const o of outcomes) fold.addOutcome(o);
  for (const r of records) fold.addRecord(r);
  return fold.finish(generatedAt);
}
