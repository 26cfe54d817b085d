import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { TicketWorkerResult } from '../core/worker/runTicketWorker';
import { WorkerLogBuffer } from '../core/worker/workerLogBuffer';
import { log } from './log';
import { WorkerTaskSession, type WorkerRun } from './workerTaskSession';
import { errorMessage } from '../core/errorText';

export const WORKER_TASK_TYPE = 'flotilla';
export const WORKER_TASK_SOURCE = 'Flotilla';

export interface WorkerTaskRequest {
  readonly ticketId: string;
  readonly batchId: string;
  /** Runs the worker; must honour the signal (the user terminating the task aborts it). */
  readonly run: WorkerRun;
}

/** Workers never run in Restricted Mode: they run commands and send code to a model. */
export class WorkspaceNotTrustedError extends Error {
  constructor() {
    super('Flotilla runs no worker in Restricted Mode. Trust this workspace to continue.');
    this.name = 'WorkspaceNotTrustedError';
  }
}

/** The task ended before its terminal opened, e.g. VS Code did not start it. */
export class WorkerTaskDroppedError extends Error {
  constructor(readonly ticketId: string) {
    super(`VS Code ended the task for ${ticketId} before it started.`);
    this.name = 'WorkerTaskDroppedError';
  }
}

export function workerTaskName(ticketId: string): string {
  return `Flotilla: ${ticketId}`;
}

/**
 * Runs each worker as a VS Code task ("Flotilla: <ticket>") whose terminal streams a readable log.
 * Owns every run it starts: disposing it (extension deactivation) cancels them all.
 */
export class WorkerTasks implements vscode.Disposable {
  private readonly outputs = new Map<string, WorkerLogBuffer>();
  private readonly sessions = new Set<WorkerTaskSession>();

  async run(request: WorkerTaskRequest): Promise<TicketWorkerResult> {
    if (!vscode.workspace.isTrusted) throw new WorkspaceNotTrustedError();
    const { ticketId, batchId } = request;
    const output = new WorkerLogBuffer();
    this.outputs.set(ticketId, output);
    const written = new vscode.EventEmitter<string>();
    const closed = new vscode.EventEmitter<number>();
    const session = new WorkerTaskSession({
      ticketId,
      run: request.run,
      output,
      write: (data) => written.fire(data),
      exit: (code) => closed.fire(code),
      header: [{ style: 'phase', text: `▸ Flotilla worker for ${ticketId} (batch ${batchId})` }],
    });
    this.sessions.add(session);

    // A unique runId keeps two runs of one ticket (a fix loop, a retry) distinct tasks to VS Code,
    // which otherwise refuses to start a task that looks identical to one still running.
    const runId = randomUUID();
    const task = new vscode.Task(
      { type: WORKER_TASK_TYPE, ticketId, batchId, runId },
      vscode.TaskScope.Workspace,
      workerTaskName(ticketId),
      WORKER_TASK_SOURCE,
      new vscode.CustomExecution(async () => (session.started ? finishedTerminal(ticketId) : terminalFor(session, written, closed))),
    );
    task.isBackground = true;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Never, focus: false, panel: vscode.TaskPanelKind.Dedicated, clear: true, showReuseMessage: false };

    const ended = vscode.tasks.onDidEndTask((e) => {
      if ((e.execution.task.definition as { runId?: unknown }).runId === runId) session.abandon(new WorkerTaskDroppedError(ticketId));
    });
    try {
      log.info(`worker ${ticketId} (batch ${batchId}): starting task`);
      await vscode.tasks.executeTask(task);
      const result = await session.result;
      log.info(`worker ${ticketId}: ${result.status} — ${result.reason}`);
      return result;
    } catch (error) {
      session.abandon(error);
      log.warn(`worker ${ticketId}: ${errorMessage(error)}`);
      throw error;
    } finally {
      ended.dispose();
      this.sessions.delete(session);
      written.dispose();
      closed.dispose();
    }
  }

  /** The last ~2,000 lines a ticket's latest run showed, as plain text ('' when it never ran). */
  output(ticketId: string): string {
    return this.outputs.get(ticketId)?.text() ?? '';
  }

  dispose(): void {
    for (const session of this.sessions) session.close();
    this.sessions.clear();
  }
}

function terminalFor(session: WorkerTaskSession, written: vscode.EventEmitter<string>, closed: vscode.EventEmitter<number>): vscode.Pseudoterminal {
  return { onDidWrite: written.event, onDidClose: closed.event, open: () => session.open(), close: () => session.close() };
}

/** Rerunning a finished worker task from VS Code's task list: a worker is started from Flotilla, with its batch. */
function finishedTerminal(ticketId: string): vscode.Pseudoterminal {
  const written = new vscode.EventEmitter<string>();
  const closed = new vscode.EventEmitter<number>();
  return {
    onDidWrite: written.event,
    onDidClose: closed.event,
    open: () => {
      written.fire(`This Flotilla worker run for ${ticketId} has ended. Start the ticket again from the Flotilla view.\r\n`);
      closed.fire(1);
    },
    close: () => {
      written.dispose();
      closed.dispose();
    },
  };
}
