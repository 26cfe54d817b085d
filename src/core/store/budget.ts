import type { CallSizing } from '../llm/callSizing';
import type { LedgerEntry } from '../llm/reservationRecord';
import { fileAlertMemory, type SoftAlertMemory } from './budgetAlerts';
import { budgetHooks, type BudgetHooks } from './budgetHooks';
import { monthSpend } from './ledgerReader';
import { StoreError } from './storageErrors';
import { formatUsdLimit } from '../usdAmount';
import { monthOf } from './storagePaths';
import { formatUsd } from '../vocabulary/amounts';

export const DEFAULT_SOFT_ALERT_PERCENT = 80;

/** `flotilla.budget.monthlyUsd`, `flotilla.budget.batchUsd` (null = no limit) and the soft alert share. */
export interface BudgetLimits {
  readonly monthlyUsd: number | null;
  readonly batchUsd: number | null;
  readonly softAlertPercent?: number;
}

export type BudgetLimitKind = 'monthly' | 'batch';

/** A call did not start because its worst case would cross a hard limit. Running calls are not touched. */
export class BudgetExceededError extends StoreError {
  readonly nextStep: string;
  /** For the CLI, whose batch limit is --budget-usd. */
  readonly terminalNextStep: string;

  constructor(
    readonly limit: BudgetLimitKind,
    /** Settled spend so far in this month or batch. */
    readonly spentUsd: number,
    /** Worst cases of calls running right now. */
    readonly reservedUsd: number,
    readonly limitUsd: number,
    readonly worstCaseUsd: number,
  ) {
    super(
      `The ${limit} budget of ${formatUsdLimit(limitUsd)} would be crossed: ${formatUsd(spentUsd)} spent, ` +
        `${formatUsd(reservedUsd)} held by running calls, and this call could cost up to ${formatUsd(worstCaseUsd)}.`,
    );
    this.nextStep = limit === 'monthly' ? 'Raise flotilla.budget.monthlyUsd or wait for next month.' : 'Raise flotilla.budget.batchUsd or run fewer tickets.';
    this.terminalNextStep = limit === 'monthly' ? this.nextStep : 'Raise --budget-usd or run fewer tickets.';
  }
}

/** True when a call costing up to `worstCaseUsd` could take spend + running calls past `limitUsd`. */
export function wouldCross(spentUsd: number, reservedUsd: number, worstCaseUsd: number, limitUsd: number | null): boolean {
  return limitUsd !== null && spentUsd + reservedUsd + worstCaseUsd > limitUsd;
}

/** True once spend reaches the soft alert share of a limit. */
export function softAlertReached(spentUsd: number, limitUsd: number | null, percent: number): boolean {
  return limitUsd !== null && limitUsd > 0 && spentUsd >= (limitUsd * percent) / 100;
}

export interface SoftAlert {
  readonly limit: BudgetLimitKind;
  /** The month for a monthly alert. */
  readonly month: string;
  readonly spentUsd: number;
  readonly limitUsd: number;
  readonly percent: number;
}

export interface Reservation {
  readonly id: number;
  readonly worstCaseUsd: number;
}

export interface BudgetGuardOptions {
  readonly limits: BudgetLimits;
  /** Month-to-date spend of `month` from the ledger (all workspaces). */
  readonly monthSpentUsd: number;
  readonly month: string;
  /** Spend of this batch so far (non-zero on resume). */
  readonly batchSpentUsd?: number;
  readonly alerts: SoftAlertMemory;
  readonly onSoftAlert?: (alert: SoftAlert) => void;
  readonly clock?: () => number;
}

/**
 * Budget arithmetic before spending. Every call reserves its worst case before it starts, so calls
 * running in parallel hold their share and two of them cannot together cross a limit; `settle`
 * swaps the reservation for the actual cost. Synchronous `reserve` makes check-and-hold one step:
 * no await can slip in between. Spend is per process plus what the ledger held at open, where a
 * call whose reservation record no usage record closed (its process was killed during the call)
 * counts at its worst case: repeated kills cannot carry spend past a limit.
 */
export class BudgetGuard {
  private readonly spentByMonth = new Map<string, number>();
  private month: string;
  private batchSpentUsd: number;
  private readonly open = new Map<number, Reservation>();
  private nextId = 1;
  private batchAlertShown = false;
  /** Months this guard has already decided about, set before any await so racing settles alert once. */
  private readonly monthsChecked = new Set<string>();
  private readonly clock: () => number;
  /** Calls waiting for a running call to settle before they size themselves again. */
  private waiters: (() => void)[] = [];

  constructor(private readonly options: BudgetGuardOptions) {
    this.month = options.month;
    this.spentByMonth.set(options.month, options.monthSpentUsd);
    this.batchSpentUsd = options.batchSpentUsd ?? 0;
    this.clock = options.clock ?? Date.now;
  }

  /** A guard with month-to-date spend read from the ledger and the alert memory in global storage. */
  static async open(globalStorage: string, options: Omit<BudgetGuardOptions, 'monthSpentUsd' | 'month' | 'alerts'> & { alerts?: SoftAlertMemory }): Promise<BudgetGuard> {
    const clock = options.clock ?? Date.now;
    const month = monthOf(clock());
    const spend = await monthSpend(globalStorage, month);
    const guard = new BudgetGuard({ ...options, clock, month, monthSpentUsd: spend.spentUsd, alerts: options.alerts ?? fileAlertMemory(globalStorage, clock) });
    await guard.checkSoftAlerts();
    return guard;
  }

  /**
   * Holds `worstCaseUsd` for a call about to start, or throws BudgetExceededError naming the limit.
   * A model without a price (null) cannot be held against a limit; the pricing layer warns about it.
   */
  reserve(worstCaseUsd: number | null): Reservation {
    const worst = worstCaseUsd ?? 0;
    const reserved = this.reservedUsd();
    const { monthlyUsd, batchUsd } = this.options.limits;
    const monthSpent = this.monthSpentUsd();
    if (monthlyUsd !== null && wouldCross(monthSpent, reserved, worst, monthlyUsd)) {
      throw new BudgetExceededError('monthly', monthSpent, reserved, monthlyUsd, worst);
    }
    if (batchUsd !== null && wouldCross(this.batchSpentUsd, reserved, worst, batchUsd)) {
      throw new BudgetExceededError('batch', this.batchSpentUsd, reserved, batchUsd, worst);
    }
    const reservation = { id: this.nextId++, worstCaseUsd: worst };
    this.open.set(reservation.id, reservation);
    return reservation;
  }

  /**
   * Sizes a call to the budget left and holds its worst case: the largest max_tokens, up to the
   * requested one, whose worst case fits every hard limit next to the running calls' reservations.
   * Returns null when not even `minimum` fits right now.
   */
  reserveFitting(worstCaseFor: (maxTokens: number) => number | null, requested: number, minimum: number): { reservation: Reservation; maxTokens: number } | null {
    const full = worstCaseFor(requested);
    if (full === null || this.fits(full, this.reservedUsd())) return { reservation: this.reserve(full), maxTokens: requested };
    const base = worstCaseFor(0) ?? 0;
    const perToken = (full - base) / Math.max(1, requested);
    const { monthlyUsd, batchUsd } = this.options.limits;
    const reserved = this.reservedUsd();
    const headroom = Math.min(monthlyUsd === null ? Infinity : monthlyUsd - this.monthSpentUsd() - reserved, batchUsd === null ? Infinity : batchUsd - this.batchSpentUsd - reserved);
    let maxTokens = perToken > 0 ? Math.min(requested - 1, Math.floor((headroom - base) / perToken)) : requested;
    // Rounding can leave the affine solution a token too large; the same check as reserve() decides.
    while (maxTokens >= minimum && !this.fits(worstCaseFor(maxTokens) ?? 0, reserved)) maxTokens--;
    if (maxTokens < minimum) return null;
    return { reservation: this.reserve(worstCaseFor(maxTokens)), maxTokens };
  }

  /**
   * reserveFitting for a call about to start, with the patience a batch needs: a call that does not
   * fit on the prompt estimate asks for the API's token count; one that would fit once running calls
   * settle (their reservations are worst cases, their costs usually far less) waits for them; one
   * that cannot fit even then is refused with BudgetExceededError.
   */
  async reserveSized(sizing: CallSizing): Promise<{ reservation: Reservation; maxTokens: number }> {
    let worstCaseFor = sizing.worstCaseFor;
    let counted = false;
    for (;;) {
      const fitted = this.reserveFitting(worstCaseFor, sizing.requestedMaxTokens, sizing.minMaxTokens);
      if (fitted) return fitted;
      if (!counted) {
        counted = true;
        const exact = await sizing.countedWorstCase();
        if (exact) worstCaseFor = exact;
        continue;
      }
      const smallest = worstCaseFor(sizing.minMaxTokens) ?? 0;
      if (this.reservedUsd() > 0 && this.fits(smallest, 0)) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        continue;
      }
      this.reserve(smallest); // throws BudgetExceededError naming the limit
    }
  }

  /** Replaces a reservation with what the call cost (null: unknown price), counted in the month of `ts`. */
  async settle(reservation: Reservation, actualUsd: number | null, ts: string | number = this.clock()): Promise<void> {
    this.open.delete(reservation.id);
    this.addSpend(actualUsd ?? 0, ts);
    this.wakeWaiters();
    await this.checkSoftAlerts();
  }

  /** Drops a reservation whose call never reached the API. */
  release(reservation: Reservation): void {
    this.open.delete(reservation.id);
    this.wakeWaiters();
  }

  reservedUsd(): number {
    let sum = 0;
    for (const r of this.open.values()) sum += r.worstCaseUsd;
    return sum;
  }

  monthSpentUsd(): number {
    this.rollMonth();
    return this.spentByMonth.get(this.month) ?? 0;
  }

  snapshot(): { month: string; monthSpentUsd: number; batchSpentUsd: number; reservedUsd: number } {
    return { month: this.month, monthSpentUsd: this.monthSpentUsd(), batchSpentUsd: this.batchSpentUsd, reservedUsd: this.reservedUsd() };
  }

  /** The hooks the model client and the metering proxy call around each attempt (budgetHooks.ts). */
  clientHooks(append: (entry: LedgerEntry) => Promise<void>): BudgetHooks {
    return budgetHooks(this, append, { clock: this.clock });
  }

  /**
   * Counts an attempt whose outcome is unknown (killed, cut or cancelled mid-stream): what it
   * recorded plus its whole worst case, as a later reader of the ledger counts its open reservation.
   */
  async settleUnknown(reservation: Reservation, recordedUsd: number | null, ts: string | number = this.clock()): Promise<void> {
    await this.settle(reservation, (recordedUsd ?? 0) + reservation.worstCaseUsd, ts);
  }

  /** Spend that held no reservation of this guard (a record made outside a reserved attempt). */
  count(usd: number | null, ts: string | number = this.clock()): void {
    this.addSpend(usd ?? 0, ts);
  }

  private fits(worstCaseUsd: number, reservedUsd: number): boolean {
    const { monthlyUsd, batchUsd } = this.options.limits;
    return !wouldCross(this.monthSpentUsd(), reservedUsd, worstCaseUsd, monthlyUsd) && !wouldCross(this.batchSpentUsd, reservedUsd, worstCaseUsd, batchUsd);
  }

  private wakeWaiters(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const wake of waiting) wake();
  }

  private addSpend(usd: number, ts: string | number): void {
    this.batchSpentUsd += usd;
    // Month from the record's time, never wall-clock arithmetic: a clock jump cannot move spend.
    const month = monthOf(ts);
    this.spentByMonth.set(month, (this.spentByMonth.get(month) ?? 0) + usd);
  }

  /** The current month only moves forward: a clock that jumps back does not reopen last month. */
  private rollMonth(): void {
    const now = monthOf(this.clock());
    if (now > this.month) this.month = now;
  }

  private async checkSoftAlerts(): Promise<void> {
    const percent = this.options.limits.softAlertPercent ?? DEFAULT_SOFT_ALERT_PERCENT;
    const { monthlyUsd, batchUsd } = this.options.limits;
    const monthSpent = this.monthSpentUsd();
    const month = this.month;
    if (monthlyUsd !== null && !this.monthsChecked.has(month) && softAlertReached(monthSpent, monthlyUsd, percent)) {
      this.monthsChecked.add(month);
      if (!(await this.options.alerts.wasShown(month))) {
        await this.options.alerts.markShown(month);
        this.options.onSoftAlert?.({ limit: 'monthly', month, spentUsd: monthSpent, limitUsd: monthlyUsd, percent });
      }
    }
    if (batchUsd !== null && !this.batchAlertShown && softAlertReached(this.batchSpentUsd, batchUsd, percent)) {
      this.batchAlertShown = true;
      this.options.onSoftAlert?.({ limit: 'batch', month, spentUsd: this.batchSpentUsd, limitUsd: batchUsd, percent });
    }
  }
}
