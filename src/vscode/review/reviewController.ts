import * as vscode from 'vscode';
import { GitClient } from '../../core/git/gitClient';
import { DisposableStore } from '../disposables';
import { log } from '../log';
import type { OverlapWarning } from '../../core/session/acceptTicket';
import { ReviewComments } from './reviewComments';
import { gatesUri, registerReviewDocuments } from './reviewDocuments';
import { NoBatchEngineError } from '../../core/session/reviewErrors';
import type { ReviewableTicket } from '../../core/session/reviewableTickets';
import { TicketDecisions, type FileDecisionOutcome, type TicketAcceptOutcome } from '../../core/session/ticketDecisions';
import { buildReviewSession, type ReviewSession } from './reviewSession';
import type { ChangedFile } from '../../core/session/ticketChanges';

/**
 * What Request Changes needs from the batch engine: run a fix loop on the ticket's worktree with the
 * reviewer's feedback. The engine (src/vscode/batchEngine.ts) provides it; until then it is absent.
 */
export interface ChangeRequester {
  requestChanges(batchId: string, ticketId: string, feedback: string): Promise<unknown>;
}

export interface ReviewControllerOptions {
  readonly storageDir: string | undefined;
  readonly git?: GitClient;
  readonly requester?: () => ChangeRequester | undefined;
}

export class NoStorageError extends Error {
  constructor() {
    super('Open a folder first: Flotilla keeps batches and their reviews in the workspace storage.');
    this.name = 'NoStorageError';
  }
}

const REVIEWING_CONTEXT = 'flotilla.reviewing';

/** The review of one ticket at a time: the changes editor, the findings as comments, and the decisions. */
export class ReviewController extends DisposableStore {
  readonly git: GitClient;
  private readonly comments = this.register(new ReviewComments());
  private session: ReviewSession | undefined;

  constructor(private readonly options: ReviewControllerOptions) {
    super();
    this.git = options.git ?? new GitClient();
    for (const d of registerReviewDocuments(this.git, () => options.storageDir)) this.register(d);
  }

  get storageDir(): string | undefined {
    return this.options.storageDir;
  }

  get current(): ReviewSession | undefined {
    return this.session;
  }

  threads(): readonly vscode.CommentThread[] {
    return this.comments.threads();
  }

  tickets(): Promise<ReviewableTicket[]> {
    return this.decisions().list();
  }

  /** Opens the multi-file changes editor (base ↔ ticket branch) and puts the findings on their lines. */
  async open(ticket: ReviewableTicket): Promise<ReviewSession> {
    const session = await buildReviewSession(this.git, this.requireStorage(), ticket);
    this.session = session;
    await vscode.commands.executeCommand('vscode.changes', session.title, session.resources);
    const first = session.files[0];
    const verdictUri = first && session.uriOf(first.path);
    const verdict = session.verdict && verdictUri ? { view: session.verdict, uri: verdictUri, target: { batchId: ticket.batchId, ticketId: ticket.ticketId } } : undefined;
    this.comments.show(session.placements, (path) => session.uriOf(path), verdict);
    await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, true);
    if (session.review.kind === 'invalid') log.warn(`The stored review of ${ticket.ticketId} could not be read: ${session.review.message}`);
    return session;
  }

  async accept(ticket: ReviewableTicket, confirmOverlaps: (w: readonly OverlapWarning[]) => Promise<boolean>): Promise<TicketAcceptOutcome> {
    const outcome = await this.decisions().accept(ticket, confirmOverlaps);
    if (outcome.kind !== 'cancelled' && outcome.kind !== 'refused') await this.closeIfShowing(ticket);
    return outcome;
  }

  async reject(ticket: ReviewableTicket): Promise<void> {
    await this.closeIfShowing(ticket);
    await this.decisions().reject(ticket);
  }

  acceptFile(ticket: ReviewableTicket, file: ChangedFile): Promise<FileDecisionOutcome> {
    return this.decisions().acceptFile(ticket, file);
  }

  /** Reverts one file on the ticket branch, then shows the review again without it. */
  async rejectFile(ticket: ReviewableTicket, file: ChangedFile): Promise<string | null> {
    const commit = await this.decisions().rejectFile(ticket, file);
    if (this.isShowing(ticket)) await this.open(ticket);
    return commit;
  }

  async requestChanges(ticket: ReviewableTicket, feedback: string): Promise<unknown> {
    const requester = this.options.requester?.();
    if (!requester) throw new NoBatchEngineError();
    return requester.requestChanges(ticket.batchId, ticket.ticketId, feedback);
  }

  async showGateOutput(ticket: ReviewableTicket): Promise<vscode.Uri> {
    const uri = gatesUri(ticket.batchId, ticket.ticketId);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return uri;
  }

  private decisions(): TicketDecisions {
    return new TicketDecisions(this.requireStorage(), this.git, log);
  }

  private isShowing(ticket: ReviewableTicket): boolean {
    return this.session?.ticket.batchId === ticket.batchId && this.session.ticket.ticketId === ticket.ticketId;
  }

  /** A decided ticket's review is over: its threads go and its changes editor closes. */
  private async closeIfShowing(ticket: ReviewableTicket): Promise<void> {
    if (!this.session || !this.isShowing(ticket)) return;
    const title = this.session.title;
    this.session = undefined;
    this.comments.clear();
    await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, false);
    // The changes editor appends the file count to the title: "Review T1: … (2 files)".
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === title || t.label.startsWith(`${title} (`));
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  private requireStorage(): string {
    if (!this.options.storageDir) throw new NoStorageError();
    return this.options.storageDir;
  }
}
