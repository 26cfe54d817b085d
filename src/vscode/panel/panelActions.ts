import * as vscode from 'vscode';
import type { ViewMessage } from '../../core/panel/panelProtocol';
import type { TicketAction } from '../../core/panel/panelSnapshot';
import { COMMAND_IDS } from '../commandTable';

type ActionMessage = Exclude<ViewMessage, { type: 'ready' } | { type: 'applied' } | { type: 'resync' }>;

const TICKET_COMMANDS: Readonly<Record<TicketAction, (batchId: string, ticketId: string) => [string, ...unknown[]]>> = {
  review: (batchId, ticketId) => [COMMAND_IDS.reviewTicket, { batchId, ticketId }],
  accept: (batchId, ticketId) => [COMMAND_IDS.acceptTicket, { batchId, ticketId }],
  reject: (batchId, ticketId) => [COMMAND_IDS.rejectTicket, { batchId, ticketId }],
  cancel: (_batchId, ticketId) => [COMMAND_IDS.cancelTicket, ticketId],
  retry: (_batchId, ticketId) => [COMMAND_IDS.retryTicket, ticketId],
  setModel: (_batchId, ticketId) => [COMMAND_IDS.setModel, ticketId],
};

/**
 * What a click in the panel runs: the same commands as the Tickets view, the review editor and the
 * palette, with the same arguments, so confirmations, trust checks and errors behave the same.
 */
export function commandFor(message: ActionMessage): [string, ...unknown[]] {
  switch (message.type) {
    case 'ticketAction':
      return TICKET_COMMANDS[message.action](message.batchId, message.ticketId);
    case 'showGateOutput':
      return [COMMAND_IDS.showGateOutput, { batchId: message.batchId, ticketId: message.ticketId }];
    case 'openTicket':
      return [COMMAND_IDS.openTicket, message.ticketId];
    case 'showReport':
      return [COMMAND_IDS.showBatchReport, message.batchId];
  }
}

export function runAction(message: ActionMessage): Thenable<unknown> {
  const [command, ...args] = commandFor(message);
  return vscode.commands.executeCommand(command, ...args);
}

export type { ActionMessage };
