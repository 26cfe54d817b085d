import * as vscode from 'vscode';
import type { BatchEvent, TicketRecord } from '../core/batch/batchTypes';
import type { UsageRecord } from '../core/llm/usageRecord';
import { progressLine } from '../core/session/runStateText';
import { isActiveRunState } from '../core/vocabulary/ticketStates';

/** Feeds batch events into the one progress notification of a run. */
export interface BatchProgressSink {
  onEvent(event: BatchEvent): void;
}

/**
 * Runs `work` under one cancellable notification that summarises the batch ("2 of 5 finished ·
 * 1 running · $0.034"); its Cancel button cancels the whole batch through the token.
 */
export function withBatchProgress<T>(simulated: boolean, usage: vscode.Event<UsageRecord>, work: (sink: BatchProgressSink, token: vscode.CancellationToken) => Promise<T>): Thenable<T> {
  const title = `Flotilla batch${simulated ? ' (simulated)' : ''}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const records = new Map<string, TicketRecord>();
    let batchId: string | undefined;
    let costUsd: number | null = 0;
    let reported = 0;
    const report = (prefix?: string) => {
      const list = [...records.values()];
      const finished = list.filter((r) => !isActiveRunState(r.state)).length;
      // withProgress increments are relative; report only the step since the last report.
      const percent = list.length > 0 ? (finished / list.length) * 100 : 0;
      progress.report({ message: prefix ? `${prefix} — ${progressLine(list, costUsd)}` : progressLine(list, costUsd), increment: percent - reported });
      reported = percent;
    };
    // The cost moves with every recorded call, as the status bar does, not only at the batch's milestones.
    const following = usage((record) => {
      if (batchId === undefined || record.batchId !== batchId) return;
      costUsd = costUsd === null || record.costUsd === null ? null : costUsd + record.costUsd;
      report();
    });
    const sink: BatchProgressSink = {
      onEvent(event) {
        if (event.type === 'batch-started') {
          batchId = event.batchId;
          for (const t of event.tickets) records.set(t.id, t);
          report('starting');
        } else if (event.type === 'planning') {
          report(event.status === 'started' ? 'planning the batch' : undefined);
        } else if (event.type === 'ticket-state') {
          records.set(event.ticket.id, event.ticket);
          report(token.isCancellationRequested ? 'cancelling' : undefined);
        } else if (event.type === 'cost') {
          // The batch's own total (a resumed batch counts its earlier calls too).
          costUsd = event.batchCostUsd;
          report();
        }
      },
    };
    try {
      return await work(sink, token);
    } finally {
      following.dispose();
    }
  });
}
