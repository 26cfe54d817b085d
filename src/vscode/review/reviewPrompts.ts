import * as vscode from 'vscode';
import type { ReviewableTicket } from '../../core/session/reviewableTickets';

/** A question a review command asks before it acts on a ticket the user did not have in front of them. */
export interface Confirmation {
  readonly message: string;
  readonly detail: string;
  /** The button that goes ahead, e.g. "Accept & Merge". */
  readonly action: string;
}

/**
 * How review commands ask the user: which ticket, and whether to go ahead. The window's quick pick
 * and modal dialog by default; the integration suites answer (and record the questions) through
 * a test-mode hook, since a modal dialog cannot be clicked from the extension host.
 */
export interface ReviewPrompts {
  pickTicket(tickets: readonly ReviewableTicket[], title: string): Promise<ReviewableTicket | undefined>;
  confirm(question: Confirmation): Promise<boolean>;
}

export const windowPrompts: ReviewPrompts = {
  async pickTicket(tickets, title) {
    const items = tickets.map((ticket) => ({
      label: `${ticket.ticketId}  ${ticket.title}`,
      description: `batch ${ticket.batchId}${ticket.decision?.ticket === 'accepted' ? ' · accepted' : ''}`,
      detail: `branch ${ticket.branch}`,
      ticket,
    }));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which ticket?', matchOnDescription: true, ignoreFocusOut: true });
    return picked?.ticket;
  },
  async confirm({ message, detail, action }) {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  },
};
