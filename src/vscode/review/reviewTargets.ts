import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { ReviewController } from './reviewController';
import { TICKET_SCHEME } from './reviewDocuments';
import { TicketNotReviewableError } from '../../core/session/reviewErrors';
import type { ReviewableTicket } from '../../core/session/reviewableTickets';
import { buildReviewSession } from './reviewSession';
import type { ChangedFile } from '../../core/session/ticketChanges';

/**
 * What the review commands accept as their argument: an object from another command, a link in the
 * verdict thread or a test (`{ batchId?, ticketId?, file?, feedback?, confirmed? }`), a Tickets view
 * row, or the URI of the editor the command was run from. Anything else (the Command Palette, a key
 * binding) means the review in front of the user, or a ticket picked and confirmed.
 */
export const reviewArgsSchema = z.object({
  batchId: z.string().optional(),
  ticketId: z.string().optional(),
  file: z.string().optional(),
  feedback: z.string().optional(),
  /** Skips the confirmation (for callers that already asked). */
  confirmed: z.boolean().optional(),
});
export type ReviewArgs = z.infer<typeof reviewArgsSchema>;

export type ParsedReviewArgs = ReviewArgs & {
  readonly uri?: vscode.Uri;
  /** A Tickets view row: named, but not in front of the user the way an open review is. */
  readonly fromTree?: boolean;
};

const ticketNodeSchema = z.object({ kind: z.literal('ticket'), ticket: z.object({ id: z.string() }) });

export function parseReviewArgs(arg: unknown): ParsedReviewArgs {
  if (arg instanceof vscode.Uri) {
    if (arg.scheme !== TICKET_SCHEME) return { uri: arg };
    // The ticket side of an open review names its ticket and batch.
    const query = new URLSearchParams(arg.query);
    return { uri: arg, ...optional('ticketId', query.get('ticket')), ...optional('batchId', query.get('batch')) };
  }
  // A tree row first: as review arguments it would parse too (zod drops its unknown keys) and name no ticket.
  const node = ticketNodeSchema.safeParse(arg);
  if (node.success) return { ticketId: node.data.ticket.id, fromTree: true };
  const args = reviewArgsSchema.safeParse(arg);
  return args.success ? args.data : {};
}

function optional<K extends string>(key: K, value: string | null): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/** The ticket a command is about: named, the one under review, or picked from the finished ones. */
export async function resolveTicket(controller: ReviewController, args: ParsedReviewArgs, options: { preferCurrent: boolean; title: string }): Promise<ReviewableTicket | undefined> {
  const current = controller.visibleReview();
  if (args.ticketId === undefined && options.preferCurrent && current) return current;
  // The newest run of each ticket (the list comes newest batch first): an older run it replaced is not offered.
  const newest = (await controller.tickets()).filter((t, i, all) => all.findIndex((o) => o.ticketId === t.ticketId) === i);
  const tickets = newest.filter((t) => t.decision?.ticket === undefined && (args.batchId === undefined || t.batchId === args.batchId));
  if (args.ticketId !== undefined) return namedTicket(controller, args.ticketId, args.batchId, options.title);
  if (tickets.length === 0) {
    void vscode.window.showInformationMessage('Flotilla: no finished ticket is waiting for review in this workspace.');
    return undefined;
  }
  return controller.prompts.pickTicket(tickets, options.title);
}

/** The ticket a decision acts on, and whether the user must still confirm it (id, title, target branch). */
export interface DecisionTarget {
  readonly ticket: ReviewableTicket;
  readonly mustConfirm: boolean;
}

/**
 * A decision acts on the review open in front of the user, on a ticket named by the caller (a link
 * in that review, another command), or on a ticket the user picks — and then confirms. Never on a
 * review that was closed or is hidden behind another editor.
 */
export async function decisionTarget(controller: ReviewController, args: ParsedReviewArgs, title: string): Promise<DecisionTarget | undefined> {
  if (args.ticketId !== undefined) {
    const ticket = await namedTicket(controller, args.ticketId, args.batchId, title);
    return ticket && { ticket, mustConfirm: args.fromTree === true && args.confirmed !== true };
  }
  const visible = controller.visibleReview();
  if (visible) return { ticket: visible, mustConfirm: false };
  const ticket = await resolveTicket(controller, args, { preferCurrent: false, title });
  return ticket && { ticket, mustConfirm: args.confirmed !== true };
}

async function namedTicket(controller: ReviewController, ticketId: string, batchId: string | undefined, title: string): Promise<ReviewableTicket | undefined> {
  const tickets = (await controller.tickets()).filter((t) => t.decision?.ticket !== 'rejected');
  const matches = tickets.filter((t) => t.ticketId === ticketId && (batchId === undefined || t.batchId === batchId));
  if (matches.length === 0) throw new TicketNotReviewableError(ticketId, batchId);
  // Several batches may have run the same ticket: the newest comes first, an explicit batch wins.
  return matches.length === 1 || batchId !== undefined ? matches[0] : controller.prompts.pickTicket(matches, title);
}

/** The file a per-file command is about: named, the editor it was run from, or picked from the change. */
export async function resolveFile(controller: ReviewController, ticket: ReviewableTicket, args: ParsedReviewArgs): Promise<ChangedFile | undefined> {
  const storage = controller.storageDir;
  const current = controller.current;
  const files = current && current.ticket.batchId === ticket.batchId && current.ticket.ticketId === ticket.ticketId ? current.files : storage ? (await buildReviewSession(controller.git, storage, ticket)).files : [];
  const wanted = args.file ?? (args.uri ? pathInTicket(ticket, args.uri) : undefined);
  if (wanted !== undefined) {
    const file = files.find((f) => f.path === wanted);
    if (!file) throw new Error(`${wanted} is not part of the change of ${ticket.ticketId}.`);
    return file;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((file) => ({ label: file.path, description: file.status, file })),
    { title: `Flotilla: a file of ${ticket.ticketId}`, placeHolder: 'Which file?' },
  );
  return picked?.file;
}

function pathInTicket(ticket: ReviewableTicket, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== 'file') return uri.path.replace(/^\//, '');
  const rel = relative(ticket.worktree, uri.fsPath);
  return rel.startsWith('..') ? undefined : rel.split(sep).join('/');
}
