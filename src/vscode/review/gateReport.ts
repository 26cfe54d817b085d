import type { StoredReview } from './reviewRecords';

/** The gate outputs of one ticket as a plain-text document (shown read-only). */
export function renderGateReport(ticketId: string, review: StoredReview): string {
  const lines = [`Flotilla gates for ${ticketId} — review level ${review.level}, gates ${review.gates.verdict}`, ''];
  if (review.gates.gates.length === 0) lines.push('No command gate ran at this level.');
  for (const gate of review.gates.gates) {
    const exit = gate.exitCode === null ? '' : `, exit ${gate.exitCode}`;
    lines.push(`== ${gate.name}: ${gate.status}${exit}, ${(gate.durationMs / 1000).toFixed(1)} s ==`);
    lines.push(gate.command === null ? '(no command configured)' : `$ ${gate.command}`);
    if (gate.reason) lines.push(`(${gate.reason})`);
    lines.push(gate.output.trimEnd() || '(no output)', '');
  }
  return `${lines.join('\n')}\n`;
}
