import type { ModelPrice, TokenRates } from './pricing';

/** The five token classes the API bills separately. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
}

export const ZERO_USAGE: Readonly<TokenUsage> = {
  inputTokens: 0,
  outputTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  cacheReadTokens: 0,
};

/** What the long-prompt band is measured on: every prompt token, cached or not (not the output). */
export function promptTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens + usage.cacheReadTokens;
}

/** The rates that apply to a request with this many prompt tokens. */
export function ratesFor(price: ModelPrice, promptTokenCount: number): TokenRates {
  const band = price.longPrompt;
  return band && promptTokenCount > band.aboveTokens ? band : price;
}

/*
 * Exact arithmetic: a price of $X per million tokens is X·10^6 picodollars per token, an integer for
 * any price with up to six decimals (all published prices have at most three). Token counts times
 * integer rates stay far below 2^53, so the sum is exact and only the final division rounds — the
 * result is the closest double to the true cost, well inside 1e-9 USD.
 */
const PICO_PER_USD = 1e12;
const picoPerToken = (usdPerMillion: number): number => Math.round(usdPerMillion * 1e6);

/** Cost in USD of one request's usage at a model's price (long-prompt band applied when it applies). */
export function costOf(usage: TokenUsage, price: ModelPrice): number {
  const r = ratesFor(price, promptTokens(usage));
  const pico =
    usage.inputTokens * picoPerToken(r.input) +
    usage.outputTokens * picoPerToken(r.output) +
    usage.cacheWrite5mTokens * picoPerToken(r.cacheWrite5m) +
    usage.cacheWrite1hTokens * picoPerToken(r.cacheWrite1h) +
    usage.cacheReadTokens * picoPerToken(r.cacheRead);
  return pico / PICO_PER_USD;
}

/**
 * The most a call can cost before it starts (the budget guard's number): every estimated input token
 * at the dearest input-side rate the request can incur — a 5-minute cache write, or a 1-hour one when
 * the request asks for 1-hour breakpoints — plus `maxTokens` of output, in the band the estimate
 * falls into.
 */
export function worstCaseCostUsd(inputTokenEstimate: number, maxTokens: number, price: ModelPrice, oneHourCache = true): number {
  const r = ratesFor(price, inputTokenEstimate);
  const dearestInput = Math.max(r.input, r.cacheWrite5m, oneHourCache ? r.cacheWrite1h : 0);
  return (inputTokenEstimate * picoPerToken(dearestInput) + maxTokens * picoPerToken(r.output)) / PICO_PER_USD;
}
