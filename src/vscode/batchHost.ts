import * as vscode from 'vscode';
import { BatchEngine } from './batchEngine';
import { readSettings } from './configuration';
import { DisposableStore } from './disposables';
import type { FlotillaContext } from './flotillaContext';
import { log } from './log';
import { ModelPicks } from './modelPicks';

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
  }
}
