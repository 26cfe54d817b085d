import * as vscode from 'vscode';
import { ApiKeyStore } from './vscode/apiKey';
import { clearApiKey, setApiKey } from './vscode/apiKeyCommands';
import type { FlotillaApi } from './vscode/api';
import { registerCommands } from './vscode/commands';
import { createLogChannel, log, showLog } from './vscode/log';
import { loadSelection, saveSelection } from './vscode/selectionStore';
import { clearTicketSelection, newTicket, openTicket, selectAllTickets, type TicketCommandDeps } from './vscode/ticketCommands';
import { createTicketDiagnostics } from './vscode/ticketDiagnostics';
import { TicketsModel } from './vscode/ticketsModel';
import { TicketsTree } from './vscode/ticketsTree';
import { WorkerTasks } from './vscode/workerTask';

/** Wires the adapters together. Nothing heavy runs here: tickets load when the view first asks. */
export function activate(context: vscode.ExtensionContext): FlotillaApi | undefined {
  const channel = createLogChannel();
  context.subscriptions.push(channel);
  try {
    const model = new TicketsModel();
    const selection = loadSelection(context.workspaceState);
    const tree = new TicketsTree(model, selection, () => void saveSelection(context.workspaceState, selection));
    const diagnostics = createTicketDiagnostics();
    const apiKey = new ApiKeyStore(context.secrets);
    const workerTasks = new WorkerTasks();
    const deps: TicketCommandDeps = { model, tree, selection };
    context.subscriptions.push(model, tree, workerTasks, diagnostics.collection, model.onDidChange((set) => diagnostics.publish(set)));
    context.subscriptions.push(
      ...registerCommands({
        newTicket: () => newTicket(deps),
        refreshTickets: () => model.refresh(),
        selectAllTickets: () => selectAllTickets(deps),
        clearTicketSelection: () => clearTicketSelection(deps),
        openTicket: (target) => openTicket(deps, target as Parameters<typeof openTicket>[1]),
        setApiKey: (key) => setApiKey(apiKey, key),
        clearApiKey: () => clearApiKey(apiKey),
        showLog: () => showLog(),
      }),
    );
    log.info(`Flotilla ${context.extension.packageJSON.version as string} activated${vscode.workspace.isTrusted ? '' : ' in Restricted Mode'}`);
    return {
      tickets: {
        load: () => model.get(),
        selected: async () => selection.among((await model.get()).tickets.map((t) => t.id)),
      },
      ticketsView: {
        getChildren: (node) => tree.getChildren(node),
        getTreeItem: (node) => tree.getTreeItem(node),
        getParent: (node) => tree.getParent(node),
        applyCheckboxChanges: (items) => tree.applyCheckboxChanges(items),
        get visible() {
          return tree.view.visible;
        },
        get message() {
          return tree.view.message;
        },
      },
      apiKey: { masked: () => apiKey.masked() },
      workerTasks: { run: (request) => workerTasks.run(request), output: (ticketId) => workerTasks.output(ticketId) },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(`Activation failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    void vscode.window.showErrorMessage(`Flotilla could not start: ${message}`, 'Open Log').then((choice) => {
      if (choice) showLog();
    });
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
