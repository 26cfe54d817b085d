import type { BatchEstimate } from '../batch/batchEstimate';

/** The batch's mode and why, in one plain sentence for the panel's header. */
export function modeSentence(mode: string, estimate: BatchEstimate | null, ticketCount: number): string {
  if (mode === 'single') return 'Single: one strong-tier agent per ticket, no shared planning (the baseline).';
  if (estimate === null) {
    return mode === 'orchestrated' ? 'Orchestrated: one shared planning call for the batch.' : 'Direct: no shared planning.';
  }
  const be = estimate.breakEven;
  const tickets = `${ticketCount} ticket${ticketCount === 1 ? '' : 's'}`;
  // A mode chosen by the user needs no break-even explanation.
  if (estimate.modeReason !== be.explanation) {
    return estimate.mode === 'orchestrated' ? `Orchestrated, as chosen: one shared planning call for ${tickets}.` : `Direct, as chosen: no shared planning for ${tickets}.`;
  }
  if (estimate.mode === 'orchestrated') {
    const from = be.breakEvenTickets === null ? '' : `, which pays for itself from ${be.breakEvenTickets} tickets at these prices`;
    return `Orchestrated: one shared planning call for ${tickets}${from}.`;
  }
  const pays = be.breakEvenTickets === null ? 'never pays for itself at these prices' : `only pays from ${be.breakEvenTickets} tickets`;
  return `Direct: no shared planning, because for ${tickets} it ${pays}.`;
}

