import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { BatchEvent } from '../core/batch/batchTypes';
import { formatReviewInterrupted, formatReviewReport } from '../core/worker/reviewLogLines';
import type { TicketWorkerResult } from '../core/worker/runTicketWorker';
import { WorkerLogBuffer } from '../core/worker/workerLogBuffer';
import { log } from './log';
import { WorkerTaskSession, type WorkerRun } from '../core/worker/workerTaskSession';
import { errorMessage } from '../core/errorText';

export const WORKER_TASK_TYPE = 'flotilla';
export const WORKER_TASK_SOURCE = 'Flotilla';
/** Runs of one ticket whose logs are kept in memory (a ticket rarely needs more than a fix loop and two tiers). */
const MAX_RUNS_KEPT = 8;

export interface WorkerTaskRequest {
  readonly ticketId: string;
  readonly batchId: string;
  /** Runs the worker; must honour the signal (the user terminating the task aborts it). */
  readonly run: WorkerRun;
  /** Which run of the ticket this is, for the task's name: "D3 · fast · run 1". */
  readonly label?: WorkerRunLabel;
  /** A batch reviews the result: the terminal waits for the verdict (follow()) and ends with it. */
  readonly reviewFollows?: boolean;
}

export interface WorkerRunLabel {
  readonly tier: string | null;
  readonly model: string;
  readonly attempt: number;
  /** The reviewer's words when the run answers a Request Changes. */
  readonly changeRequest?: string;
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

/**
 * "D3 · fast · run 1": every run of a ticket (fix loops, a move up a tier, a retry) is its own
 * terminal; a change request's runs say what was asked: 'D3 · changes: "Handle tabs too" · fast · run 1'.
 */
export function workerTaskName(ticketId: string, label?: WorkerRunLabel): string {
  if (!label) return ticketId;
  const request = label.changeRequest === undefined ? '' : ` · changes: "${shortened(label.changeRequest)}"`;
  return `${ticketId}${request} · ${label.tier ?? label.model} · run ${label.attempt}`;
}

/** The first line of the request, cut at a word near 40 characters. */
function shortened(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  if (line.length <= CHANGE_REQUEST_LABEL_LENGTH) return line;
  const cut = line.slice(0, CHANGE_REQUEST_LABEL_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${space > 20 ? cut.slice(0, space) : cut}…`;
}

const CHANGE_REQUEST_LABEL_LENGTH = 40;

/**
 * Runs each worker as a VS Code task ("D3 · fast · run 1") whose terminal streams a readable log, and
 * then the gates' verdict on it.
 * Owns every run it starts: disposing it (extension deactivation) cancels them all.
 */
export class WorkerTasks implements vscode.Disposable {
  /** Every run's log this window, by ticket, oldest first. */
  private readonly outputs = new Map<string, { readonly name: string; readonly buffer: WorkerLogBuffer }[]>();
  private readonly sessions = new Set<WorkerTaskSession>();
  /** Runs whose worker is done and whose terminal waits for the gates' verdict, by ticket. */
  private readonly awaitingReview = new Map<string, WorkerTaskSession>();

  async run(request: WorkerTaskRequest): Promise<TicketWorkerResult> {
    if (!vscode.workspace.isTrusted) throw new WorkspaceNotTrustedError();
    const { ticketId, batchId } = request;
    const output = new WorkerLogBuffer();
    const runs = this.outputs.get(ticketId) ?? [];
    runs.push({ name: workerTaskName(ticketId, request.label), buffer: output });
    this.outputs.set(ticketId, runs.slice(-MAX_RUNS_KEPT));
    const written = new vscode.EventEmitter<string>();
    const closed = new vscode.EventEmitter<number>();
    const session = new WorkerTaskSession({
      ticketId,
      run: request.run,
      output,
      write: (data) => written.fire(data),
      exit: (code) => closed.fire(code),
      header: [
        { style: 'phase', text: `▸ Flotilla worker for ${ticketId}${request.label ? ` on ${request.label.model}, run ${request.label.attempt}` : ''} (batch ${batchId})` },
        ...(request.label?.changeRequest === undefined ? [] : [{ style: 'phase' as const, text: `▸ your change request: ${request.label.changeRequest}` }]),
      ],
      reviewFollows: request.reviewFollows,
    });
    this.sessions.add(session);

    // A unique runId keeps two runs of one ticket (a fix loop, a retry) distinct tasks to VS Code,
    // which otherwise refuses to start a task that looks identical to one still running.
    const runId = randomUUID();
    const task = new vscode.Task(
      { type: WORKER_TASK_TYPE, ticketId, batchId, runId },
      vscode.TaskScope.Workspace,
      workerTaskName(ticketId, request.label),
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
      if (session.awaitingReview) this.awaitingReview.set(ticketId, session);
      return result;
    } catch (error) {
      session.abandon(error);
      log.warn(`worker ${ticketId}: ${errorMessage(error)}`);
      throw error;
    } finally {
      ended.dispose();
      // A terminal waiting for the verdict stays writable until the verdict (or the batch's end) closes it.
      void session.finished.then(() => {
        this.sessions.delete(session);
        if (this.awaitingReview.get(ticketId) === session) this.awaitingReview.delete(ticketId);
        written.dispose();
        closed.dispose();
      });
    }
  }

  /**
   * The batch's events, for the terminals waiting on a verdict: the gates' and reviewers' result ends
   * the run's terminal (red when they failed); a ticket that leaves review another way, or the end of
   * the batch, ends it with a note.
   */
  follow(event: BatchEvent): void {
    if (event.type === 'ticket-reviewed') {
      this.awaitingReview.get(event.id)?.reviewed(formatReviewReport(event.review), event.review.passed);
    } else if (event.type === 'ticket-state' && event.ticket.state !== 'running' && event.ticket.state !== 'reviewing') {
      this.awaitingReview.get(event.ticket.id)?.reviewed(formatReviewInterrupted(event.ticket.detail), false);
    } else if (event.type === 'batch-finished') {
      for (const session of this.awaitingReview.values()) session.reviewed(formatReviewInterrupted(`the batch ended (${event.state})`), false);
    }
  }

  /** The last ~2,000 lines a ticket's latest run showed, as plain text ('' when it never ran). */
  output(ticketId: string): string {
    return this.outputs.get(ticketId)?.at(-1)?.buffer.text() ?? '';
  }

  /** Each recent run of a ticket in this window by task name, oldest first: what its terminal showed. */
  runOutputs(ticketId: string): { readonly name: string; readonly text: string }[] {
    return (this.outputs.get(ticketId) ?? []).map((run) => ({ name: run.name, text: run.buffer.text() }));
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
