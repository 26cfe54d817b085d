/** A plain decimal: `16`, `0.50`, `.75` — no sign, exponent, hex, binary or `Infinity`. */
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A positive amount of USD typed by a person (`--budget-usd`), or undefined when it is not one.
 * `Number()` alone would read `0x10` as $16 and `1e1` as $10: a budget is money, so only what reads
 * as money is accepted.
 */
export function parseUsdAmount(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const amount = Number(text);
  return Number.isFinite(amount) && amount > 0 ? amount : undefined;
}

/**
 * A limit as the user gave it: at least cents (`$25.00`), never rounded (`$0.006` stays `$0.006`), so
 * a message about a limit never names one that was not set.
 */
export function formatUsdLimit(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 20, useGrouping: false })}`;
}
