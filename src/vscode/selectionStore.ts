import type * as vscode from 'vscode';
import { z } from 'zod';
import { TicketSelection } from '../core/tickets/ticketSelection';
import { log } from './log';

const KEY = 'flotilla.selection.v1';
const storedSelection = z.array(z.string());

/** The ticked tickets, persisted in workspace state so they survive refreshes and reloads. */
export function loadSelection(state: vscode.Memento): TicketSelection {
  const parsed = storedSelection.safeParse(state.get(KEY, []));
  if (!parsed.success) {
    log.warn(`Stored ticket selection was unreadable and has been reset: ${parsed.error.message}`);
    return new TicketSelection();
  }
  return new TicketSelection(parsed.data);
}

export function saveSelection(state: vscode.Memento, selection: TicketSelection): Thenable<void> {
  return state.update(KEY, selection.toArray());
}
