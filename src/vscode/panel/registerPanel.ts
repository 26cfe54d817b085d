import type { BatchEvent } from '../../core/batch/batchTypes';
import type * as vscode from 'vscode';
import type { CommandHandlers } from '../commands';
import { readSettings } from '../configuration';
import type { FlotillaContext } from '../flotillaContext';
import { BatchPanelHost } from './batchPanelHost';
import { PanelFeed } from './panelFeed';

/**
 * The batch panel of this window. `batchEvents` is today's engine's event (BatchEngine.onDidEmit);
 * when the session API lands, it is the session's event stream, and nothing else here changes.
 */
export function createBatchPanel(ctx: FlotillaContext, batchEvents: vscode.Event<BatchEvent>): BatchPanelHost {
  const feed = new PanelFeed({
    onBatchEvent: batchEvents,
    onUsage: ctx.onDidRecordUsage,
    onBatchActivity: ctx.onDidChangeBatchActivity,
    tickets: ctx.tickets,
    storageDir: ctx.storageDir,
    globalStorageDir: ctx.globalStorageDir,
    settings: readSettings,
  });
  return new BatchPanelHost(ctx.extension.extensionUri, feed);
}

export function panelHandlers(host: BatchPanelHost): Pick<CommandHandlers, 'showPanel'> {
  return { showPanel: () => host.show() };
}
