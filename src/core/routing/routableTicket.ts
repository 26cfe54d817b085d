import { z } from 'zod';
import type { Ticket } from '../tickets/ticketSchema';

/**
 * The little the router needs from a ticket. Parsed ticket files and `flotilla route` input lines
 * both reduce to this, so one scoring path serves the UI, the batch and the CLI.
 */
export interface RoutableTicket {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  /** Predicted or hinted files (the ticket's `files:` field). */
  readonly files: readonly string[];
  readonly dependsOn: readonly string[];
  /** The ticket's `model:` field: `auto`/absent lets the router choose; a tier or model id overrides. */
  readonly model?: string;
}

export function routableFromTicket(ticket: Ticket): RoutableTicket {
  return {
    id: ticket.id,
    title: ticket.title,
    body: ticket.description,
    labels: ticket.labels,
    files: ticket.files,
    dependsOn: ticket.dependsOn,
    model: ticket.model,
  };
}

/**
 * One input line of `flotilla route --input` (CLI contract): `{id, title, body, labels?}`; other
 * fields are ignored on purpose, so a calibration file with labels for evaluation can be fed as is.
 */
export const routeInputLineSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string(),
  body: z.string().default(''),
  labels: z.array(z.string()).default([]),
});

export type RouteInputLine = z.infer<typeof routeInputLineSchema>;

export function routableFromInputLine(line: RouteInputLine): RoutableTicket {
  return { id: line.id, title: line.title, body: line.body, labels: line.labels, files: [], dependsOn: [] };
}
