import { stringify } from 'yaml';
import { isValidTicketId, ticketIdProblem } from './ticketSchema';

/** The text of a new, valid ticket file with the fields a user most often fills in next. */
export function renderNewTicket(id: string, title: string): string {
  if (!isValidTicketId(id)) throw new RangeError(`invalid ticket id "${id}"`);
  const frontMatter = stringify({ id, title, labels: [], priority: 3, dependsOn: [], files: [], model: 'auto', review: 'auto', acceptance: [], status: 'open' }, { flowCollectionPadding: false });
  return `---\n${frontMatter}---\nDescribe the change: what should be different when this ticket is done, and why.\n`;
}

/** Why an id cannot be used for a new ticket, or undefined when it can. */
export function newTicketIdProblem(id: string, existing: ReadonlySet<string>): string | undefined {
  if (id.trim() === '') return 'Enter an id such as R07.';
  const problem = ticketIdProblem(id);
  if (problem !== undefined) return `${problem}.`;
  if (existing.has(id)) return `A ticket with the id ${id} already exists.`;
  return undefined;
}
