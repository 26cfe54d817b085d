import { compareIds } from './ticketGraph';
import { TICKET_STATUSES, type Ticket, type TicketStatus } from './ticketSchema';

export interface StatusGroup {
  readonly status: TicketStatus;
  readonly tickets: readonly Ticket[];
}

export const STATUS_LABELS: Readonly<Record<TicketStatus, string>> = {
  open: 'Open',
  'in-progress': 'In Progress',
  review: 'In Review',
  done: 'Done',
};

/** Groups tickets by status in workflow order; inside a group by priority (1 first, none last), then id. */
export function groupByStatus(tickets: readonly Ticket[]): StatusGroup[] {
  const groups = new Map<TicketStatus, Ticket[]>(TICKET_STATUSES.map((s) => [s, []]));
  for (const ticket of tickets) groups.get(ticket.status)?.push(ticket);
  return TICKET_STATUSES.map((status) => ({
    status,
    tickets: (groups.get(status) ?? []).sort((a, b) => (a.priority ?? 6) - (b.priority ?? 6) || compareIds(a.id, b.id)),
  })).filter((group) => group.tickets.length > 0);
}
