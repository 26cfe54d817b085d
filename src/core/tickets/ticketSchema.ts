import { z } from 'zod';

export const TICKET_STATUSES = ['open', 'in-progress', 'review', 'done'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const REVIEW_LEVELS = ['auto', 'minimal', 'standard', 'thorough', 'comprehensive'] as const;
export type ReviewChoice = (typeof REVIEW_LEVELS)[number];

const TICKET_ID = /^[A-Za-z0-9._-]+$/;

export function isValidTicketId(id: string): boolean {
  return TICKET_ID.test(id);
}

export const ticketIdSchema = z
  .string()
  .regex(TICKET_ID, 'an id uses only letters, digits, ".", "_" and "-" (for example R03)');

// YAML reads `id: 42` as a number; a numeric id is still a sensible id, so it is accepted as text.
const idField = z.union([z.string(), z.number().int().nonnegative()]).transform(String).pipe(ticketIdSchema);

/** The YAML front matter of a ticket file (ARCHITECTURE.md, "Ticket file"). */
export const ticketFrontMatterSchema = z.object({
  id: idField,
  title: z.string().trim().min(1, 'the title must not be empty'),
  labels: z.array(z.string()).default([]),
  priority: z.number().int().min(1).max(5).optional(),
  dependsOn: z.array(idField).default([]),
  files: z.array(z.string()).default([]),
  model: z.string().trim().min(1, 'use auto, fast, balanced, strong or a model id').default('auto'),
  review: z.enum(REVIEW_LEVELS).default('auto'),
  acceptance: z.array(z.string()).default([]),
  status: z.enum(TICKET_STATUSES).default('open'),
});

export type TicketFrontMatter = z.infer<typeof ticketFrontMatterSchema>;

export const KNOWN_TICKET_FIELDS: readonly string[] = Object.keys(ticketFrontMatterSchema.shape);

/** A ticket as the rest of Flotilla sees it: validated front matter, description and where it came from. */
export interface Ticket extends TicketFrontMatter {
  readonly description: string;
  /** Absolute path of the file it was read from. */
  readonly file: string;
  /** Front-matter fields Flotilla does not know; kept so nothing the user wrote is lost. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Positions used to report problems found later (unknown dependencies, cycles). */
  readonly positions: TicketPositions;
}

export interface TicketPositions {
  readonly id: { line: number; column: number };
  /** One position per `dependsOn` entry, in order. */
  readonly dependsOn: readonly { line: number; column: number }[];
}
