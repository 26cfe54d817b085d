/** Where tickets come from (`flotilla.tickets.source`, the CLI's --source): Markdown files, GitHub issues, or both. */
export const TICKET_SOURCES = ['files', 'github', 'both'] as const;
export type TicketSourceChoice = (typeof TICKET_SOURCES)[number];
