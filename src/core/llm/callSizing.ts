import type { CallTags } from './reservationRecord';

/**
 * What the model client tells the budget hook about a call before it starts, so the hook can size the
 * call to the budget left instead of only accepting or refusing it (ARCHITECTURE.md idea 8).
 */
export interface CallSizing {
  /** The caller's max_tokens. */
  readonly requestedMaxTokens: number;
  /** The hook may size the call down to this, never below (MIN_USEFUL_MAX_TOKENS, or less if less was asked). */
  readonly minMaxTokens: number;
  /** Worst case in USD with max_tokens `n`, on the generous prompt estimate; null for a model without a price. */
  worstCaseFor(maxTokens: number): number | null;
  /**
   * The same from the API's own count of the prompt's tokens (plus a margin), for a call that does not
   * fit on the estimate; null when the count is unavailable or not lower than the estimate.
   */
  countedWorstCase(): Promise<((maxTokens: number) => number | null) | null>;
  /** Identifies this attempt: the usage record of the attempt is passed to the ledger hook with it. */
  readonly attempt: object;
  /** Who the attempt is for: the hook writes them into the attempt's reservation record. */
  readonly tags: CallTags;
}
