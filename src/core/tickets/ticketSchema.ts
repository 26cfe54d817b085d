import { z } from 'zod';
import { refComponentProblem } from '../git/branchNames';
import { TICKET_FILE_STATUSES } from '../vocabulary/ticketStates';

export const REVIEW_LEVELS = ['auto', 'minimal', 'standard', 'thorough', 'comprehensive'] as const;
export type ReviewChoice = (typeof REVIEW_LEVELS)[number];

/**
 * Why `id` cannot be a ticket id, or undefined when it can. A ticket id becomes part of its branch
 * (`flotilla/<batch>/<id>`) and worktree folder, so the rule is git's, in one place (branchNames.ts):
 * an id that validates here can never fail later at branch creation.
 */
export function ticketIdProblem(id: string): string | undefined {
  const problem = refComponentProblem(id);
  return problem === undefined ? undefined : `"${id.length > 40 ? `${id.slice(0, 40)}…` : id}" cannot be a ticket id (it becomes part of a git branch name): ${problem}, for example R03`;
}

export function isValidTicketId(id: string): boolean {
  return ticketIdProblem(id) === undefined;
}

export const ticketIdSchema = z.string().superRefine((id, ctx) => {
  const problem = ticketIdProblem(id);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** Names for the control characters a user is most likely to meet; the rest are shown by code point. */
const CONTROL_NAMES: Readonly<Record<number, string>> = { 0x00: 'NUL', 0x07: 'BEL', 0x08: 'backspace', 0x0a: 'a line break (LF)', 0x0b: 'VT', 0x0c: 'form feed', 0x0d: 'a carriage return (CR)', 0x1b: 'ESC', 0x7f: 'DEL' };

/**
 * Why a title cannot be used, or undefined when it can. A title becomes the subject line of the merge
 * commit (git refuses a NUL there, after the ticket has been paid for), a line in the terminal (ESC and
 * the C1 codes drive it) and a line in the editor, so every control character is refused — C0
 * (U+0000–U+001F), DEL and C1 (U+007F–U+009F) — except tab, which is only a wide space.
 */
export function titleProblem(title: string): string | undefined {
  for (let i = 0; i < title.length; i++) {
    const code = title.charCodeAt(i);
    if (code === 0x09 || (code > 0x1f && code < 0x7f) || code > 0x9f) continue;
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const name = CONTROL_NAMES[code];
    return `must be one line of printable text, but it contains ${name === undefined ? hex : `${name} (${hex})`} at character ${i + 1}; tab is the only control character allowed`;
  }
  return undefined;
}

/** The title rule on its own, for every ticket source (Markdown files, GitHub issues). */
export const ticketTitleSchema = z
  .string()
  .trim()
  .min(1, 'the title must not be empty')
  .superRefine((title, ctx) => {
    const problem = titleProblem(title);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

// YAML reads `id: 42` as a number; a numeric id is still a sensible id, so it is accepted as text.
const idField = z.union([z.string(), z.number().int().nonnegative()]).transform(String).pipe(ticketIdSchema);

/** The YAML front matter of a ticket file (ARCHITECTURE.md, "Ticket file"). */
export const ticketFrontMatterSchema = z.object({
  id: idField,
  title: ticketTitleSchema,
  labels: z.array(z.string()).default([]),
  priority: z.number().int().min(1).max(5).optional(),
  dependsOn: z.array(idField).default([]),
  files: z.array(z.string()).default([]),
  model: z.string().trim().min(1, 'use auto, fast, balanced, strong or a model id').default('auto'),
  review: z.enum(REVIEW_LEVELS).default('auto'),
  acceptance: z.array(z.string()).default([]),
  status: z.enum(TICKET_FILE_STATUSES).default('open'),
});

export type TicketFrontMatter = z.infer<typeof ticketFrontMatterSchema>;

/**
 * What each field accepts, in the words a ticket's author needs when a value is wrong ("priority must
 * be a whole number from 1 to 5"), instead of the parser's ("expected number, received string").
 * A unit test keeps one entry per field of the schema.
 */
export const TICKET_FIELD_RULES: Readonly<Record<keyof TicketFrontMatter, string>> = {
  id: 'id must be a short name such as R03 (letters, digits, dot, dash or underscore)',
  title: 'title must be one line of text, e.g. title: Add a --version flag',
  labels: 'labels must be a list of words, e.g. labels: [bug, cli]',
  priority: 'priority must be a whole number from 1 (highest) to 5',
  dependsOn: 'dependsOn must be a list of ticket ids, e.g. dependsOn: [R01, R02]',
  files: 'files must be a list of paths in the repository, e.g. files: [src/cli.ts]',
  model: 'model must be auto, fast, balanced, strong or a model id such as claude-sonnet-5-5',
  review: `review must be one of ${REVIEW_LEVELS.join(', ')}`,
  acceptance: 'acceptance must be a list of checks, one per line starting with "- "',
  status: `status must be one of ${TICKET_FILE_STATUSES.join(', ')}`,
};

export const KNOWN_TICKET_FIELDS: readonly string[] = Object.keys(ticketFrontMatterSchema.shape);

/** The GitHub issue a ticket was made from (github/issueTicket.ts). */
export interface IssueReference {
  readonly number: number;
  /** The issue's web address (tooltips, links, problems). */
  readonly url: string;
  /** `owner/name`. */
  readonly repository: string;
  /** The issue author's login: someone outside this session, whose text is data, not instructions. */
  readonly author: string | null;
}

/** A ticket as the rest of Flotilla sees it: validated front matter, description and where it came from. */
export interface Ticket extends TicketFrontMatter {
  readonly description: string;
  /**
   * Where it was read from, for links and `file:line:col` problems: the ticket file's absolute path,
   * or for a GitHub issue (see `issue`) the issue's web address.
   */
  readonly file: string;
  /** Set for a ticket made from a GitHub issue; its text came from outside (the worker prompt says so). */
  readonly issue?: IssueReference;
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
