import { isReservation, type LedgerEntry } from '../llm/reservationRecord';
import type { UsageRecord } from '../llm/usageRecord';
import { OpenReservations, type UnknownOutcomes } from '../store/openReservations';
import { monthOf } from '../store/storagePaths';

/** Spend of one model or one workspace in the month. */
export interface SpendShare {
  readonly key: string;
  readonly calls: number;
  readonly tokens: number;
  readonly costUsd: number;
  /** Calls with no known price: their cost is unknown, not zero. */
  readonly unpricedCalls: number;
}

export interface MonthSpendSnapshot {
  readonly month: string;
  readonly calls: number;
  readonly tokens: number;
  readonly costUsd: number;
  readonly unpricedCalls: number;
  /** Most expensive first (then most tokens), so the tooltip leads with what matters. */
  readonly byModel: readonly SpendShare[];
  readonly byWorkspace: readonly SpendShare[];
  /** Calls to the simulated model this month: shown apart, never in the spend, the forecast or the limit. */
  readonly simulated: { readonly calls: number; readonly tokens: number; readonly costUsd: number };
  /**
   * Calls of the month whose reservation no usage record closed (a kill during the call): not in
   * `costUsd`, but counted at their worst case against the monthly limit, as the budget guard does.
   */
  readonly unknown: UnknownOutcomes;
}

interface MutableShare {
  calls: number;
  tokens: number;
  costUsd: number;
  unpricedCalls: number;
}

/** The month's spend as the budget guard counts it: recorded, plus calls of unknown outcome at their worst case. */
export function countedSpendUsd(spend: MonthSpendSnapshot): number {
  return spend.costUsd + spend.unknown.atMostUsd;
}

/** Every token the call moved: input, output, cache writes and cache reads. */
export function recordTokens(r: UsageRecord): number {
  return r.inputTokens + r.outputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens;
}

/**
 * Month-to-date spend by model and by workspace, built by folding the month's ledger once and then
 * adding each new record as it is recorded (the status bar never re-reads the ledger per call).
 * Records of another month and Flotilla's own cache hits (cost 0, no API call) are not counted;
 * simulated calls are counted apart.
 */
export class MonthSpendTally {
  private readonly models = new Map<string, MutableShare>();
  private readonly workspaces = new Map<string, MutableShare>();
  private readonly total: MutableShare = { calls: 0, tokens: 0, costUsd: 0, unpricedCalls: 0 };
  private readonly simulated: MutableShare = { calls: 0, tokens: 0, costUsd: 0, unpricedCalls: 0 };
  private readonly reservations = new OpenReservations();

  constructor(readonly month: string) {}

  /** Counts the record (a reservation: holds it until its usage record) if it belongs to this month; returns whether it changed the totals. */
  add(record: LedgerEntry): boolean {
    if (isReservation(record)) {
      if (record.simulated || !sameMonth(record.ts, this.month)) return false;
      return this.reservations.add(record);
    }
    const closed = this.reservations.add(record);
    if (record.cached || !sameMonth(record.ts, this.month)) return closed;
    const tokens = recordTokens(record);
    const shares = record.simulated ? [this.simulated] : [this.total, slot(this.models, record.model), slot(this.workspaces, record.workspace)];
    for (const share of shares) {
      share.calls++;
      share.tokens += tokens;
      if (record.costUsd === null) share.unpricedCalls++;
      else share.costUsd += record.costUsd;
    }
    return true;
  }

  snapshot(): MonthSpendSnapshot {
    const { calls, tokens, costUsd } = this.simulated;
    return { month: this.month, ...this.total, byModel: sorted(this.models), byWorkspace: sorted(this.workspaces), simulated: { calls, tokens, costUsd }, unknown: this.reservations.summary() };
  }
}

function slot(map: Map<string, MutableShare>, key: string): MutableShare {
  let share = map.get(key);
  if (share === undefined) {
    share = { calls: 0, tokens: 0, costUsd: 0, unpricedCalls: 0 };
    map.set(key, share);
  }
  return share;
}

function sorted(map: Map<string, MutableShare>): SpendShare[] {
  return [...map].map(([key, s]) => ({ key, ...s })).sort((a, b) => b.costUsd - a.costUsd || b.tokens - a.tokens || a.key.localeCompare(b.key));
}

function sameMonth(ts: string, month: string): boolean {
  try {
    return monthOf(ts) === month;
  } catch {
    return false;
  }
}
