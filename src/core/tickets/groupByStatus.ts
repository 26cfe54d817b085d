import { compareIds } from './ticketGraph';
import { TICKET_FILE_STATUSES, type TicketFileStatus } from '../vocabulary/ticketStates';
import type { Ticket } from './ticketSchema';

export interface StatusGroup {
  readonly status: TicketFileStatus;
  readonly tickets: readonly Ticket[];
}

/** Groups tickets by status in workflow order; inside a group by priority (1 first, none last), then id. */
export function groupByStatus(tickets: readonly Ticket[]): StatusGroup[] {
  const groups = new Map<TicketFileStatus, Ticket[]>(TICKET_FILE_STATUSES.map((s) => [s, []]));
  for (const ticket of tickets) groups.get(ticket.status)?.push(ticket);
  return TICKET_FILE_STATUSES.map((status) => ({
    status,
    tickets: (groups.get(status) ?? []).sort((a, b) => (a.priority ?? 6) - (b.priority ?? 6) || compareIds(a.id, b.id)),
  })).filter((group) => group.tickets.length > 0);
}
