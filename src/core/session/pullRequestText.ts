import type { TicketRecord } from '../batch/batchTypes';
import type { StoredReview } from '../store/storedReview';
import { formatUsd } from '../vocabulary/amounts';
import type { ReviewableTicket } from './reviewableTickets';

/**
 * What a ticket's pull request says, and the comment an accepted issue gets: the worker's summary, the
 * review's verdict, the gates, the cost — and, for a ticket made from an issue, `Closes #n`.
 */

/** The summary is the model's words: defuse `#12`, `@someone` and `owner/repo#3`, so only Flotilla's own `Closes #n` links, closes or notifies. */
export function defuseReferences(text: string): string {
  return text.replace(/([#@])(?=[A-Za-z0-9])/g, '$1\u200b');
}

function gatesLine(review: StoredReview | undefined): string {
  if (!review) return 'not recorded';
  if (review.gates.gates.length === 0) return `none at the ${review.level} level`;
  return review.gates.gates.map((g) => `${g.name} ${g.status}`).join(' · ');
}

function verdictLine(ticket: TicketRecord | undefined, review: StoredReview | undefined): string {
  if (!review) return ticket?.review ? `${ticket.review.result} (${ticket.review.level} review)` : 'not recorded';
  const models = review.modelReviews.map((m) => `${m.kind} ${m.verdict}${m.summary ? `: ${defuseReferences(m.summary)}` : ''}`);
  const findings = review.findings.length === 0 ? 'no findings' : `${review.findings.length} finding${review.findings.length === 1 ? '' : 's'}`;
  return `${review.verdict ?? ticket?.review?.result ?? 'passed'} — ${review.level} review, ${findings}${models.length > 0 ? ` (${models.join('; ')})` : ''}`;
}

function costLine(record: TicketRecord | undefined): string {
  if (!record) return 'not recorded';
  const where = record.tierHistory.map((t) => t.tier ?? t.model).join(' → ') || record.model;
  return `${formatUsd(record.costUsd)} (${record.tokens.toLocaleString('en-US')} tokens; ${where})`;
}

export function pullRequestTitle(ticket: Pick<ReviewableTicket, 'ticketId' | 'title' | 'issue'>): string {
  // An issue's PR carries the issue's title; a ticket file's names the ticket, as its merge commit does.
  return ticket.issue ? ticket.title : `${ticket.ticketId}: ${ticket.title}`;
}

export function pullRequestBody(ticket: ReviewableTicket, record: TicketRecord | undefined, review: StoredReview | undefined): string {
  const summary = record?.detail.trim() ? defuseReferences(record.detail.trim()) : '(no summary recorded)';
  const lines = [
    `Flotilla ran ticket **${ticket.ticketId}** in batch \`${ticket.batchId}\`.`,
    '',
    ...summary.split('\n').map((line) => `> ${line}`),
    '',
    `- **Verdict**: ${verdictLine(record, review)}`,
    `- **Gates**: ${gatesLine(review)}`,
    `- **Cost**: ${costLine(record)}`,
    `- **Branch**: \`${ticket.branch}\``,
  ];
  if (ticket.issue) lines.push('', `Closes #${ticket.issue.number}`);
  return `${lines.join('\n')}\n`;
}

/** The comment an accepted issue gets when `flotilla.github.commentOnAccept` (or `accept --comment`) asks for it. */
export function acceptedIssueComment(ticket: ReviewableTicket, record: TicketRecord | undefined, merge: { readonly into: string; readonly commit: string | null }): string {
  const summary = record?.detail.trim() ? defuseReferences(record.detail.trim()) : '(no summary recorded)';
  const commit = merge.commit === null ? `already part of \`${merge.into}\`` : `merged into \`${merge.into}\` as ${merge.commit}`;
  return [`Accepted in Flotilla (ticket ${ticket.ticketId}, batch \`${ticket.batchId}\`): ${commit}.`, '', ...summary.split('\n').map((line) => `> ${line}`), '', `Cost: ${costLine(record)}.`, ''].join('\n');
}
