import * as vscode from 'vscode';
import type { FlotillaApi } from './vscode/api';
import { ApiKeyStore } from './vscode/apiKey';
import { batchHandlers } from './vscode/batchCommands';
import { BatchHost } from './vscode/batchHost';
import { budgetApi } from './vscode/budgetApi';
import { registerCommands } from './vscode/commands';
import { demoHandlers } from './vscode/demoCommands';
import { createEvents, type FlotillaContext } from './vscode/flotillaContext';
import { createLogChannel, log, showLog } from './vscode/log';
import { ReviewController } from './vscode/review/reviewController';
import { TicketLifecycles } from './vscode/ticketLifecycles';
import { reviewHandlers } from './vscode/review/reviewHandlers';
import { reportHandlers } from './vscode/reportCommands';
import { loadSelection, saveSelection } from './vscode/selectionStore';
import { BudgetStatusBar } from './vscode/statusBar';
import { createTicketDiagnostics } from './vscode/ticketDiagnostics';
import { accountHandlers, ticketHandlers } from './vscode/ticketHandlers';
import { TicketsModel } from './vscode/ticketsModel';
import { TicketsTree } from './vscode/ticketsTree';
import { WorkerTasks } from './vscode/workerTask';
import { createBatchPanel, panelHandlers } from './vscode/panel/registerPanel';
import { isTestMode } from './vscode/testMode';
import { Notices } from './vscode/notices';
import { expectDemoLanding, landDemo } from './vscode/demoLanding';
import { errorForLog, errorMessage } from './core/errorText';

/** Builds the one context object and registers the adapters. Nothing heavy runs here: tickets load when the view first asks. */
export function activate(context: vscode.ExtensionContext): FlotillaApi | undefined {
  // The production build stamps the time its bundle started loading (esbuild.mjs banner).
  const started = (globalThis as { flotillaBundleStart?: number }).flotillaBundleStart ?? performance.now();
  const channel = createLogChannel();
  context.subscriptions.push(channel);
  try {
    const tickets = new TicketsModel();
    const selection = loadSelection(context.workspaceState);
    const tree = new TicketsTree(tickets, selection, () => void saveSelection(context.workspaceState, selection));
    const diagnostics = createTicketDiagnostics();
    const events = createEvents();
    const ctx: FlotillaContext = {
      extension: context,
      tickets,
      selection,
      tree,
      apiKey: new ApiKeyStore(context.secrets),
      workerTasks: new WorkerTasks(),
      notices: new Notices(),
      storageDir: context.storageUri?.fsPath,
      globalStorageDir: context.globalStorageUri.fsPath,
      onDidRecordUsage: events.usage.event,
      fireUsage: (record) => events.usage.fire(record),
      onDidChangeBatchActivity: events.activity.event,
      fireBatchActivity: (activity) => events.activity.fire(activity),
    };
    context.subscriptions.push(tickets, tree, ctx.workerTasks, diagnostics.collection, events.usage, events.activity, tickets.onDidChange((set) => diagnostics.publish(set)));
    const batch = new BatchHost(ctx);
    context.subscriptions.push(batch);
    const lifecycles = new TicketLifecycles(ctx.storageDir);
    lifecycles.follow(tickets, ctx.onDidChangeBatchActivity);
    tree.showLifecycles(lifecycles);
    // An accepted ticket is done: it leaves the next batch's selection (its file now says status: done).
    const onAccepted = (ticketId: string): void => {
      if (selection.set([ticketId], false)) tree.selectionChanged();
    };
    const review = new ReviewController({ storageDir: ctx.storageDir, requester: () => batch.engine, lifecycles, onAccepted });
    context.subscriptions.push(lifecycles, review);
    const statusBar = new BudgetStatusBar(ctx);
    context.subscriptions.push(statusBar);
    const panel = createBatchPanel(ctx, batch.engine.onDidEmit);
    context.subscriptions.push(panel);
    context.subscriptions.push(...registerCommands({ ...ticketHandlers(ctx), ...accountHandlers(ctx), ...reviewHandlers(review), ...batchHandlers(ctx, batch), ...reportHandlers(ctx, statusBar), ...panelHandlers(panel), ...demoHandlers(context.globalState) }));
    // Try the Demo opened this folder from another window: land in the Flotilla view with the walkthrough.
    void landDemo(context.globalState).catch((error: unknown) => log.warn(`Could not show the demo's walkthrough: ${errorForLog(error)}`));
    const activationMs = performance.now() - started;
    log.info(`Flotilla ${context.extension.packageJSON.version as string} activated${vscode.workspace.isTrusted ? '' : ' in Restricted Mode'} in ${activationMs.toFixed(0)} ms`);
    return { activationMs, ...createApi(ctx, review, batch), budget: budgetApi(ctx, statusBar), ...(isTestMode(context) ? { panel: panel.testApi() } : {}) };
  } catch (error) {
    const message = errorMessage(error);
    log.error(`Activation failed: ${errorForLog(error)}`);
    void vscode.window.showErrorMessage(`Flotilla could not start: ${message}`, 'Open Log').then((choice) => {
      if (choice) showLog();
    });
    return undefined;
  }
}

function createApi(ctx: FlotillaContext, review: ReviewController, batch: BatchHost): Omit<FlotillaApi, 'budget' | 'activationMs' | 'panel'> {
  const { tree } = ctx;
  return {
    tickets: {
      load: () => ctx.tickets.get(),
      selected: async () => ctx.selection.among((await ctx.tickets.get()).tickets.map((t) => t.id)),
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
      get description() {
        return tree.view.description;
      },
    },
    apiKey: { masked: () => ctx.apiKey.masked() },
    workerTasks: { run: (request) => ctx.workerTasks.run(request), output: (ticketId) => ctx.workerTasks.output(ticketId), runOutputs: (ticketId) => ctx.workerTasks.runOutputs(ticketId) },
    review: {
      storageDir: review.storageDir,
      threads: () => review.threads(),
      ...(isTestMode(ctx.extension) ? { usePrompts: (prompts) => review.usePrompts(prompts) } : {}),
    },
    ...(isTestMode(ctx.extension) ? { notices: { useAnswers: (answers) => ctx.notices.useAnswers(answers) } } : {}),
    ...(isTestMode(ctx.extension) ? { demo: { expectLanding: (folder) => expectDemoLanding(ctx.extension.globalState, folder), land: () => landDemo(ctx.extension.globalState) } } : {}),
    batches: {
      runOf: (ticketId) => batch.engine.runOf(ticketId),
      get activeBatchId() {
        return batch.engine.activeBatchId;
      },
      onDidRecordUsage: ctx.onDidRecordUsage,
      setSimulatedLatency: (ms) => batch.engine.setSimulatedLatency(ms),
    },
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
