import type { BatchEstimate } from './batchEstimate';

/**
 * One line on shared planning for people: used or not, and from how many tickets it pays. The run
 * confirmation and the CLI's header both say it this way (the break-even figures are in the details).
 */
export function planningLine(estimate: BatchEstimate, ticketCount: number): string {
  const from = estimate.breakEven.breakEvenTickets;
  if (estimate.chosen) return `Shared planning: ${estimate.mode === 'orchestrated' ? 'used' : 'not used'} (your choice).`;
  if (estimate.mode === 'orchestrated') return `Shared planning: used — one planning call is cheaper than ${ticketCount} separate starts.`;
  if (from === null) return 'Shared planning: not used — it does not pay at these model prices.';
  return `Shared planning: not used — it pays from about ${from} tickets like these.`;
}
