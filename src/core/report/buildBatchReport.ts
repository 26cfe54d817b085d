import type { TicketRecord } from '../batch/batchTypes';
import { readDecisions, readRecords, readResumeInfo, readSummary } from '../store/batchExtra';
import { lifecycleOf, type TicketLifecycle } from '../vocabulary/ticketStates';
import type { StoredBatch } from '../store/batchState';
import { NO_UNKNOWN_OUTCOMES, type UnknownOutcomes } from '../store/openReservations';
import type { BatchComparisonRow, BatchReport, TicketReportRow } from './reportModel';

/** Micro-dollars, as in execution-log.yaml: float sums otherwise print as 0.0011373950000000002. */
export function roundUsd(usd: number | null): number | null {
  return usd === null ? null : Math.round(usd * 1e6) / 1e6;
}

/** Gates per ticket id, as read from reviews/<ticket>.json (`name: status`). */
export type GatesByTicket = ReadonlyMap<string, readonly string[]>;

export interface BuiltBatchReport {
  readonly report: BatchReport;
  readonly problems: readonly string[];
}

/**
 * A batch's report from its stored state: the full ticket records when the batch recorded them,
 * otherwise (an interrupted or older batch) what the state itself holds, so every ticket has a row.
 */
export function buildBatchReport(state: StoredBatch, gates: GatesByTicket = new Map(), unknownOutcomes: UnknownOutcomes = NO_UNKNOWN_OUTCOMES): BuiltBatchReport {
  const problems: string[] = [];
  const { records, unreadable } = readRecords(state);
  if (state.extra.records !== undefined && unreadable.length === state.ticketIds.length && unreadable.length > 0) problems.push(`batch ${state.id}: the stored ticket records are unreadable; showing the ticket states only`);
  else for (const id of unreadable) problems.push(`batch ${state.id}: the record of ticket ${id} is unreadable; showing its state only`);
  const decisions = readDecisions(state);
  const lifecycle = (id: string): TicketLifecycle => lifecycleOf(state.tickets[id]!.status, { decision: decisions[id]?.ticket, interrupted: state.status === 'interrupted' });
  const tickets = state.ticketIds.map((id) => ({ ...ticketRow(state, id, records.get(id), gates.get(id) ?? []), lifecycle: lifecycle(id) }));
  const summary = readSummary(state);
  const costs = tickets.map((t) => t.costUsd);
  const totals = summary
    ? summary.totals
    : { tokens: tickets.reduce((s, t) => s + t.tokens, 0), costUsd: costs.some((c) => c === null) ? null : costs.reduce<number>((s, c) => s + (c ?? 0), 0), cacheReadShare: null };
  const a = summary ? summary.analysis : { orchestratedUsd: null, singleAgentEstimateUsd: null, savingsPct: null, routingSavingsVsStrongPct: null };
  const analysis = { ...a, orchestratedUsd: roundUsd(a.orchestratedUsd), singleAgentEstimateUsd: roundUsd(a.singleAgentEstimateUsd) };
  // Whether the simulator answered: the run info the runtime stored when the batch started.
  const simulated = readResumeInfo(state)?.simulated === true;
  return { report: { id: state.id, status: state.status, mode: state.mode, simulated, createdAt: state.createdAt, updatedAt: state.updatedAt, tickets, totals: { ...totals, costUsd: roundUsd(totals.costUsd) }, unknownOutcomes, analysis }, problems };
}

export function comparisonRow(report: BatchReport): BatchComparisonRow {
  return {
    id: report.id,
    createdAt: report.createdAt,
    status: report.status,
    mode: report.mode,
    simulated: report.simulated,
    tickets: report.tickets.length,
    done: report.tickets.filter((t) => t.status === 'done').length,
    fixLoops: report.tickets.reduce((s, t) => s + t.fixLoops, 0),
    escalations: report.tickets.reduce((s, t) => s + t.escalations, 0),
    tokens: report.totals.tokens,
    costUsd: report.totals.costUsd,
    singleAgentEstimateUsd: report.analysis.singleAgentEstimateUsd,
    savingsPct: report.analysis.savingsPct,
  };
}

function ticketRow(state: StoredBatch, id: string, record: TicketRecord | undefined, gates: readonly string[]): Omit<TicketReportRow, 'lifecycle'> {
  const stored = state.tickets[id]!;
  if (record === undefined) {
    return {
      id,
      title: '',
      complexityClass: stored.complexityClass ?? 'unclassified',
      score: null,
      tierPath: stored.tierHistory.map((a) => a.tier),
      model: stored.tierHistory.at(-1)?.model ?? '',
      status: stored.status,
      tokens: 0,
      costUsd: roundUsd(stored.costUsd),
      fixLoops: stored.tierHistory.reduce((s, a) => s + a.fixLoops, 0),
      escalations: Math.max(0, stored.tierHistory.length - 1),
      reviewLevel: null,
      reviewResult: null,
      findings: 0,
      gates,
      branch: stored.branch,
      reason: stored.reason ?? '',
      engines: [],
    };
  }
  const tierPath = record.tierHistory.map((c) => c.tier ?? c.model);
  return {
    id,
    title: record.title,
    complexityClass: record.complexityClass,
    score: record.score,
    tierPath: tierPath.length > 0 ? tierPath : [record.tier ?? record.model],
    model: record.model,
    status: record.state,
    tokens: record.tokens,
    costUsd: roundUsd(record.costUsd),
    fixLoops: record.fixLoops,
    escalations: record.escalations,
    reviewLevel: record.review?.level ?? null,
    reviewResult: record.review?.result ?? null,
    findings: record.review?.findings ?? 0,
    gates,
    branch: record.branch,
    reason: record.reason,
    engines: [...new Set(record.stages.flatMap((s) => (s.engine ? [s.engine] : [])))],
  };
}
