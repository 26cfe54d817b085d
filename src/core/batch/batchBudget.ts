import type { Settings } from '../settings/settingsSchema';
import { storedBudgetSchema, type StoredBudget } from '../store/batchExtra';
import type { StoredBatch } from '../store/batchState';
import { formatUsdLimit } from '../usdAmount';

/*
 * The batch's own budget is kept in state.json as `extra.budget` (written by BatchRuntime when a
 * batch starts and again when a resume applies it), so a resume is held to the limit the run was
 * given (issue 11 item 5).
 */

/** The limit `settings` put on one batch, as it is stored with the batch. */
export function budgetOfSettings(settings: Settings): StoredBudget {
  const batchUsd = settings['budget.batchUsd'];
  return { batchUsd: batchUsd > 0 ? batchUsd : null };
}

/** The stored budget; a batch started before budgets were kept (or a hand-edited one) has none. */
export function readBatchBudget(state: Pick<StoredBatch, 'extra'>): StoredBudget {
  const parsed = storedBudgetSchema.safeParse(state.extra.budget);
  return parsed.success ? parsed.data : { batchUsd: null };
}

export interface ResumeBudget {
  /** The limit the resume runs under (the whole batch's spend counts, earlier runs included). */
  readonly batchUsd: number | null;
  /** Set when the resume raised the stored limit: a front end must say so, never raise it silently. */
  readonly raisedFrom: number | null;
}

/**
 * The budget of a resume: the stored one, or `requestedUsd` (`resume --budget-usd`) when given. A
 * lower limit (or a limit where there was none) applies quietly; a higher one applies and comes back
 * as `raisedFrom`, for the front end to say out loud.
 */
export function resumeBudget(stored: StoredBudget, requestedUsd: number | undefined): ResumeBudget {
  if (requestedUsd === undefined) return { batchUsd: stored.batchUsd, raisedFrom: null };
  const raised = stored.batchUsd !== null && requestedUsd > stored.batchUsd;
  return { batchUsd: requestedUsd, raisedFrom: raised ? stored.batchUsd : null };
}

/** `settings` with the resume's budget as the batch limit, for the runtime's budget guard. */
export function withResumeBudget(settings: Settings, budget: ResumeBudget): Settings {
  return { ...settings, 'budget.batchUsd': budget.batchUsd ?? 0 };
}

/** The one line a front end shows when a resume raised the batch's budget; undefined when it did not. */
export function describeBudgetRaise(batchId: string, budget: ResumeBudget): string | undefined {
  if (budget.raisedFrom === null || budget.batchUsd === null) return undefined;
  return `batch ${batchId}: budget raised from ${formatUsdLimit(budget.raisedFrom)} to ${formatUsdLimit(budget.batchUsd)} (what it spent before counts towards it)`;
}
