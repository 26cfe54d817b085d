const DAY_MS = 86_400_000;

/** Start and end (exclusive) of a UTC `YYYY-MM` month, in epoch ms. */
export function monthBounds(month: string): { startMs: number; endMs: number } {
  const [year, mon] = month.split('-').map(Number);
  if (year === undefined || mon === undefined || !Number.isInteger(year) || !Number.isInteger(mon) || mon < 1 || mon > 12) {
    throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  }
  return { startMs: Date.UTC(year, mon - 1, 1), endMs: Date.UTC(year, mon, 1) };
}

/**
 * Month-end spend if the pace so far continues (a straight line from the 1st). Before one day has
 * passed the pace says more about one batch than about the month, so the elapsed time counts as at
 * least a day; after the month ended the forecast is what was spent.
 */
export function forecastMonthEnd(spent: number, month: string, nowMs: number): number {
  const { startMs, endMs } = monthBounds(month);
  if (nowMs >= endMs) return spent;
  const elapsed = Math.max(DAY_MS, nowMs - startMs);
  return (spent * (endMs - startMs)) / elapsed;
}

/** `2026-11` → `November 2026`, for people rather than file names. */
export function monthLabel(month: string): string {
  return new Date(monthBounds(month).startMs).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
}
