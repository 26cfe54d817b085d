import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { newTicketIdProblem, renderNewTicket } from '../core/tickets/newTicketFile';
import { log } from './log';
import type { TicketSelection } from '../core/tickets/ticketSelection';
import type { TicketNode, TicketsTree } from './ticketsTree';
import type { TicketsModel } from './ticketsModel';
import { errorMessage } from '../core/errorText';

export interface TicketCommandDeps {
  readonly model: TicketsModel;
  readonly tree: TicketsTree;
  readonly selection: TicketSelection;
}

/** New Ticket: asks for an id and a title, writes a valid ticket file and opens it. */
export async function newTicket({ model }: TicketCommandDeps): Promise<void> {
  const folder = model.folder();
  if (!folder) {
    void vscode.window.showErrorMessage('Open a folder first: Flotilla keeps tickets inside the workspace.', 'Open Folder').then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.action.files.openFolder');
    });
    return;
  }
  const existing = new Set((await model.get()).tickets.map((t) => t.id));
  const id = await vscode.window.showInputBox({
    title: 'New Ticket (1/2)',
    prompt: 'Ticket id: letters, digits, ".", "_" or "-"',
    placeHolder: 'R07',
    validateInput: (value) => newTicketIdProblem(value.trim(), existing),
  });
  if (id === undefined) return;
  const title = await vscode.window.showInputBox({
    title: 'New Ticket (2/2)',
    prompt: `Title of ${id.trim()}`,
    placeHolder: 'Replace withUIContext with launchIO in DownloadManager',
    validateInput: (value) => (value.trim() === '' ? 'Enter a title.' : undefined),
  });
  if (title === undefined) return;
  const file = await writeNewTicket(folder, id.trim(), title.trim());
  if (!file) return;
  await vscode.window.showTextDocument(vscode.Uri.file(file));
  await model.refresh();
}

async function writeNewTicket(folder: string, id: string, title: string): Promise<string | undefined> {
  const file = path.join(folder, `${id}.md`);
  try {
    await mkdir(folder, { recursive: true });
    // 'wx' refuses to overwrite: a file with that name may exist without being a valid ticket.
    await writeFile(file, renderNewTicket(id, title), { flag: 'wx' });
    log.info(`Created ticket ${id} at ${file}`);
    return file;
  } catch (error) {
    const reason = (error as { code?: string }).code === 'EEXIST' ? `${file} already exists` : errorMessage(error);
    void vscode.window.showErrorMessage(`Could not create the ticket: ${reason}.`);
    return undefined;
  }
}

/** Open Ticket: from a tree item, an id, or (from the palette) a pick of all tickets. */
export async function openTicket({ model }: TicketCommandDeps, target?: TicketNode | string): Promise<void> {
  const set = await model.get();
  let id = typeof target === 'string' ? target : target?.kind === 'ticket' ? target.ticket.id : undefined;
  if (id === undefined) {
    const pick = await vscode.window.showQuickPick(
      set.tickets.map((t) => ({ label: t.id, description: t.title })),
      { title: 'Open Ticket', placeHolder: 'Type an id or words from the title' },
    );
    id = pick?.label;
  }
  const ticket = set.tickets.find((t) => t.id === id);
  if (id === undefined) return;
  if (!ticket) {
    void vscode.window.showWarningMessage(`No ticket with the id ${id}; it may have been renamed or removed.`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(ticket.file), { preview: true });
}

export async function selectAllTickets({ model, tree, selection }: TicketCommandDeps): Promise<void> {
  const set = await model.get();
  if (selection.set(set.tickets.map((t) => t.id), true)) tree.selectionChanged();
}

export function clearTicketSelection({ tree, selection }: TicketCommandDeps): void {
  if (selection.clear()) tree.selectionChanged();
}
