import type { UsageRecord } from '../llm/usageRecord';
import { foldLedger } from '../store/ledgerReader';
import type { StoreProblem } from '../store/storeProblem';
import { monthOf } from '../store/storagePaths';
import { MonthSpendTally, type MonthSpendSnapshot } from './monthSpendTally';

/** Records this much older than the start of a fold cannot be among those fired while it ran. */
const OVERLAP_WINDOW_MS = 10 * 60_000;

/** Identifies one ledger line well enough to not count a record twice (the ledger has no record id). */
function recordKey(r: UsageRecord): string {
  return [r.ts, r.requestId, r.batchId, r.ticketId, r.stage, r.model, r.attempt, r.inputTokens, r.outputTokens].join('|');
}

export interface LiveMonthSpendOptions {
  readonly globalStorage: string;
  readonly clock?: () => number;
}

/**
 * The current month's spend for the status bar: the ledger is folded once (lazily, on first use), and
 * every record recorded afterwards is added as it arrives. Records that arrive while the fold runs
 * may or may not already be in the file it reads; they wait and are added only if the fold did not
 * see them, so nothing is counted twice or lost. A new month starts a new fold.
 */
export class LiveMonthSpend {
  private tally: MonthSpendTally | null = null;
  private loading: Promise<void> | null = null;
  private pending: UsageRecord[] = [];
  private lastProblems: readonly StoreProblem[] = [];
  private readonly clock: () => number;

  constructor(private readonly options: LiveMonthSpendOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** The month so far, or null before the first fold finished. */
  snapshot(): MonthSpendSnapshot | null {
    return this.tally?.snapshot() ?? null;
  }

  /** Ledger lines the last fold skipped (corrupt or torn), for the log. */
  problems(): readonly StoreProblem[] {
    return this.lastProblems;
  }

  /** Folds the ledger unless the tally is for the current month already; concurrent callers share one fold. */
  ensureLoaded(): Promise<void> {
    if (this.tally !== null && this.tally.month === monthOf(this.clock())) return Promise.resolve();
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** A record that is now on disk. Returns whether it changed the month's totals. */
  add(record: UsageRecord): boolean {
    if (this.loading !== null || this.tally === null) {
      this.pending.push(record);
      return false;
    }
    return this.tally.add(record);
  }

  private async load(): Promise<void> {
    const startedAt = this.clock();
    const month = monthOf(startedAt);
    const tally = new MonthSpendTally(month);
    const recent = new Set<string>();
    const scan = await foldLedger(
      this.options.globalStorage,
      (r) => {
        tally.add(r);
        if (Date.parse(r.ts) >= startedAt - OVERLAP_WINDOW_MS) recent.add(recordKey(r));
      },
      // Reservations that no record closes are calls a kill cut off: counted at their worst case.
      { fromMonth: month, toMonth: month, onReservation: (r) => tally.add(r) },
    );
    for (const r of this.pending) if (!recent.has(recordKey(r))) tally.add(r);
    this.pending = [];
    this.tally = tally;
    this.lastProblems = scan.problems;
  }
}
