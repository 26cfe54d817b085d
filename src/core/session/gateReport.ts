import type { StoredEarlierAttempt, StoredGate, StoredReview } from '../store/storedReview';

/**
 * The gate outputs of one ticket as a plain-text document (shown read-only): the failed attempts of
 * its batch first (why it was fixed or moved up a tier), then the attempt whose result is under review.
 */
export function renderGateReport(ticketId: string, review: StoredReview): string {
  const lines = [`Flotilla gates for ${ticketId} — review level ${review.level}, gates ${review.gates.verdict}`, ''];
  for (const earlier of review.earlierAttempts) lines.push(...earlierAttempt(earlier));
  if (review.earlierAttempts.length > 0) lines.push(`#### ${review.attempt === undefined ? 'Latest attempt' : `Attempt ${review.attempt}`} (the result under review)`, '');
  if (review.gates.gates.length === 0) lines.push('No command gate ran at this level.', '');
  for (const gate of review.gates.gates) lines.push(...gateLines(gate));
  return `${lines.join('\n')}\n`;
}

function earlierAttempt(attempt: StoredEarlierAttempt): string[] {
  const lines = [`#### Attempt ${attempt.attempt}${attempt.model ? ` on ${attempt.model}` : ''}: not accepted — ${attempt.summary}`, ''];
  if (attempt.gates.length === 0) lines.push('No command gate ran at this level.', '');
  for (const gate of attempt.gates) lines.push(...gateLines(gate));
  return lines;
}

function gateLines(gate: StoredGate): string[] {
  const exit = gate.exitCode === null ? '' : `, exit ${gate.exitCode}`;
  const lines = [`== ${gate.name}: ${gate.status}${exit}, ${(gate.durationMs / 1000).toFixed(1)} s ==`];
  lines.push(gate.command === null ? '(no command configured)' : `$ ${gate.command}`);
  if (gate.reason) lines.push(`(${gate.reason})`);
  lines.push(gate.output.trimEnd() || '(no output)', '');
  return lines;
}
