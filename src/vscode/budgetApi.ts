import type { UsageRecord } from '../core/llm/usageRecord';
import { UsageLedger } from '../core/store/ledgerWriter';
import type { FlotillaContext } from './flotillaContext';
import { log } from './log';
import type { BudgetStatusBar, StatusBarSnapshot } from './statusBar';

export interface BudgetApi {
  /** What the budget item shows right now: text, Markdown tooltip, level and background colour id. */
  readonly statusBar: StatusBarSnapshot;
  /**
   * Appends a usage record to the ledger in global storage, then fires it to every view, exactly as a
   * batch does after each model call. For tests that make a simulated call outside a batch.
   */
  recordUsage(record: UsageRecord): Promise<void>;
}

export function budgetApi(ctx: FlotillaContext, statusBar: BudgetStatusBar): BudgetApi {
  return {
    get statusBar() {
      return statusBar.snapshot();
    },
    async recordUsage(record) {
      const ledger = new UsageLedger({ globalStorage: ctx.globalStorageDir, logger: log });
      try {
        await ledger.append(record);
      } finally {
        await ledger.close();
      }
      ctx.fireUsage(record);
    },
  };
}
