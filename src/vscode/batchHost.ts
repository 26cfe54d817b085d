import * as vscode from 'vscode';
import { BatchEngine } from './batchEngine';
import { readSettings } from './configuration';
import { DisposableStore } from './disposables';
import type { FlotillaContext } from './flotillaContext';
import { log } from './log';
import { ModelPicks } from './modelPicks';
import { COMMAND_IDS } from './commandTable';

/**
 * The batch side of one window: the engine (one batch at a time) and the "Set Model" picks, both
 * shown in the Tickets view. Built once in activate(); nothing starts until a command runs.
 */
export class BatchHost extends DisposableStore {
  readonly engine: BatchEngine;
  readonly picks: ModelPicks;

  constructor(ctx: FlotillaContext) {
    super();
    this.picks = new ModelPicks(ctx.extension.workspaceState, (message) => log.warn(message));
    this.engine = this.register(
      new BatchEngine({
        storageDir: ctx.storageDir,
        globalStorageDir: ctx.globalStorageDir,
        apiKey: () => ctx.apiKey.get(),
        workerTasks: ctx.workerTasks,
        settings: readSettings,
        fireUsage: ctx.fireUsage,
        fireBatchActivity: ctx.fireBatchActivity,
      }),
    );
    ctx.tree.showRunState({ runOf: (id) => this.engine.runOf(id), pickOf: (id) => this.picks.get(id), simulated: () => this.engine.simulated });
    this.register(this.engine.onDidChange(() => ctx.tree.refreshRunState()));
    this.register(this.picks.onDidChange(() => ctx.tree.refreshRunState()));
    this.register(ctx.onDidChangeBatchActivity((activity) => void vscode.commands.executeCommand('setContext', 'flotilla.batchRunning', activity.running)));
    // Once, when the tickets are first shown: a batch cut off by a crash or a closed window is offered for resume.
    const once = this.register(new DisposableStore());
    once.register(
      ctx.tickets.onDidChange(() => {
        once.dispose();
        void this.offerResume();
      }),
    );
  }

  private async offerResume(): Promise<void> {
    const [batch] = await this.engine.interruptedBatches();
    if (!batch) return;
    const { state } = batch;
    const done = state.ticketIds.filter((id) => state.tickets[id]?.status === 'done').length;
    const text = `Flotilla batch ${state.id} was interrupted: ${done} of ${state.ticketIds.length} tickets done (branches and costs kept), ${state.ticketIds.length - done} can be resumed.`;
    log.warn(text);
    const choice = await vscode.window.showWarningMessage(text, 'Resume Batch', 'Show Report');
    if (choice === 'Resume Batch') await vscode.commands.executeCommand(COMMAND_IDS.resumeBatch, state.id);
    if (choice === 'Show Report') await vscode.commands.executeCommand(COMMAND_IDS.showBatchReport, state.id);
  }
}
