import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { ReviewController } from './reviewController';
import { TicketNotReviewableError } from '../../core/session/reviewErrors';
import type { ReviewableTicket } from '../../core/session/reviewableTickets';
import { buildReviewSession } from './reviewSession';
import type { ChangedFile } from '../../core/session/ticketChanges';

/**
 * What the review commands accept as their argument: an object from another command or a test
 * (`{ batchId?, ticketId, file?, feedback?, confirmed? }`), a Tickets view row, or the URI of the
 * editor the command was run from. Anything else falls back to the ticket under review or a pick.
 */
export const reviewArgsSchema = z.object({
  batchId: z.string().optional(),
  ticketId: z.string(),
  file: z.string().optional(),
  feedback: z.string().optional(),
  /** Skips the confirmation (for callers that already asked). */
  confirmed: z.boolean().optional(),
});
export type ReviewArgs = z.infer<typeof reviewArgsSchema>;

const ticketNodeSchema = z.object({ kind: z.literal('ticket'), ticket: z.object({ id: z.string() }) });

export function parseReviewArgs(arg: unknown): Partial<ReviewArgs> & { uri?: vscode.Uri } {
  if (arg instanceof vscode.Uri) return { uri: arg };
  const args = reviewArgsSchema.safeParse(arg);
  if (args.success) return args.data;
  const node = ticketNodeSchema.safeParse(arg);
  return node.success ? { ticketId: node.data.ticket.id } : {};
}

/** The ticket a command is about: named, the one under review, or picked from the finished ones. */
export async function resolveTicket(controller: ReviewController, args: Partial<ReviewArgs>, options: { preferCurrent: boolean }): Promise<ReviewableTicket | undefined> {
  const current = controller.current?.ticket;
  if (args.ticketId === undefined && options.preferCurrent && current) return current;
  const tickets = (await controller.tickets()).filter((t) => t.decision?.ticket !== 'rejected');
  if (args.ticketId !== undefined) {
    const matches = tickets.filter((t) => t.ticketId === args.ticketId && (args.batchId === undefined || t.batchId === args.batchId));
    if (matches.length === 0) throw new TicketNotReviewableError(args.ticketId, args.batchId);
    // Several batches may have run the same ticket: the newest comes first, an explicit batch wins.
    return matches.length === 1 || args.batchId !== undefined ? matches[0] : pickTicket(matches);
  }
  if (tickets.length === 0) {
    void vscode.window.showInformationMessage('Flotilla: no finished ticket is waiting for review in this workspace.');
    return undefined;
  }
  return pickTicket(tickets);
}

async function pickTicket(tickets: readonly ReviewableTicket[]): Promise<ReviewableTicket | undefined> {
  const items = tickets.map((ticket) => ({
    label: `${ticket.ticketId}  ${ticket.title}`,
    description: `batch ${ticket.batchId}${ticket.decision?.ticket === 'accepted' ? ' · accepted' : ''}`,
    detail: ticket.branch,
    ticket,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Flotilla: Review Ticket', placeHolder: 'A finished ticket to review', matchOnDescription: true });
  return picked?.ticket;
}

/** The file a per-file command is about: named, the editor it was run from, or picked from the change. */
export async function resolveFile(controller: ReviewController, ticket: ReviewableTicket, args: Partial<ReviewArgs> & { uri?: vscode.Uri }): Promise<ChangedFile | undefined> {
  const storage = controller.storageDir;
  const files = controller.current?.ticket === ticket ? controller.current.files : storage ? (await buildReviewSession(controller.git, storage, ticket)).files : [];
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
