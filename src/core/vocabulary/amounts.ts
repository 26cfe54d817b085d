/*
 * Money and token counts as people read them, one rule each, for every view: the CLI's tables and
 * notices, `flotilla status` and `report`, the Tickets view, the panel, the status bar and the
 * worker terminal (CONVENTIONS.md 22). Imports nothing: the panel's browser bundle uses it too.
 * Limits a person typed are printed as typed instead (usdAmount.ts `formatUsdLimit`).
 */

// Rounded on the decimal digits, half away from zero: $0.00115 is $0.0012 whether it was read from a
// report (rounded to micro-dollars) or summed from usage records, where the binary double sits just below.
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, roundingMode: 'halfExpand' });
const TWO_DIGITS = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2, roundingMode: 'halfExpand', useGrouping: false });

/**
 * Dollars: cents from ten cents up ($0.50, $12.35, $1,234.50); below that two significant digits, so
 * a cheap call never shows as $0.00 ($0.034, $0.0012, $0.0004). Amounts are first rounded to
 * micro-dollars, as reports and the execution log store them, so every view rounds one amount the
 * same way. Exactly zero is $0.00; null (a model with no known price) is "unknown".
 */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown';
  const micro = Math.round(Math.abs(usd) * 1e6) / 1e6;
  if (micro === 0) return '$0.00';
  const sign = usd < 0 ? '-' : '';
  const small = micro < 0.1 ? TWO_DIGITS.format(micro) : null;
  return `${sign}$${small !== null && Number(small) < 0.1 ? small : CENTS.format(micro)}`;
}

const TOKEN_UNITS = [
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'B'],
] as const;

/** Token counts: 950, 1.2k, 12k, 1.2M, 12M, 1.2B — one decimal below ten of a unit, none above. */
export function formatTokens(tokens: number): string {
  const n = Math.round(tokens);
  if (Math.abs(n) < 1000) return String(n);
  let text = '';
  for (const [size, unit] of TOKEN_UNITS) {
    const value = n / size;
    // 9,960 is "10k", not "10.0k"; 999,600 moves up to "1.0M".
    text = `${Math.abs(value) >= 9.95 ? Math.round(value) : value.toFixed(1)}${unit}`;
    if (Math.abs(Math.round(value)) < 1000) break;
  }
  return text;
}
