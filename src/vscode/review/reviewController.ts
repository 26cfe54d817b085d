import * as vscode from 'vscode';
import { GitClient } from '../../core/git/gitClient';
import { LocalChangesBlockMergeError, MergeConflictError } from '../../core/git/gitErrors';
import { removeTicketWorktree } from '../../core/git/worktrees';
import { BatchStateStore } from '../../core/store/batchStateStore';
import { DisposableStore } from '../disposables';
import { log } from '../log';
import { acceptTicket, type AcceptOutcome, type OverlapWarning } from './acceptTicket';
import { acceptFileChange, rejectFileChange, type FileAcceptOutcome } from './fileDecisions';
import { ReviewComments } from './reviewComments';
import { recordDecision } from './reviewDecisions';
import { gatesUri, registerReviewDocuments } from './reviewDocuments';
import { FileMergeConflictError, LocalFileChangesError, NoBatchEngineError, WorktreeMissingError } from './reviewErrors';
import { listReviewableTickets, type ReviewableTicket } from './reviewRecords';
import { buildReviewSession, type ReviewSession } from './reviewSession';
import type { ChangedFile } from './ticketChanges';

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

/** A decision that was refused before anything was written; `files` are the ones in the way. */
export interface RefusedOutcome {
  readonly kind: 'refused';
  readonly message: string;
  readonly files: readonly string[];
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

  async tickets(): Promise<ReviewableTicket[]> {
    const storage = this.requireStorage();
    return listReviewableTickets(new BatchStateStore({ storage, logger: log }), storage);
  }

  /** Opens the multi-file changes editor (base ↔ ticket branch) and puts the findings on their lines. */
  async open(ticket: ReviewableTicket): Promise<ReviewSession> {
    const session = await buildReviewSession(this.git, this.requireStorage(), ticket);
    this.session = session;
    await vscode.commands.executeCommand('vscode.changes', session.title, session.resources);
    this.comments.show(session.placements, (path) => session.uriOf(path));
    await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, true);
    if (session.review.kind === 'invalid') log.warn(`The stored review of ${ticket.ticketId} could not be read: ${session.review.message}`);
    return session;
  }

  async accept(ticket: ReviewableTicket, confirmOverlaps: (w: readonly OverlapWarning[]) => Promise<boolean>): Promise<AcceptOutcome | RefusedOutcome> {
    const all = await this.tickets();
    const others = all
      .filter((t) => t.decision?.ticket === 'accepted' && t.repoRoot === ticket.repoRoot && !(t.batchId === ticket.batchId && t.ticketId === ticket.ticketId))
      .map((t) => ({ ticketId: t.ticketId, batchId: t.batchId, branch: t.branch }));
    let outcome: AcceptOutcome;
    try {
      outcome = await acceptTicket(this.git, ticket, others, { confirmOverlaps });
    } catch (error) {
      if (error instanceof MergeConflictError || error instanceof LocalChangesBlockMergeError) return refused(error.message, error.files);
      throw error;
    }
    if (outcome.kind === 'cancelled') return outcome;
    await this.decide(ticket, { ticket: 'accepted' });
    log.info(`Accepted ${ticket.ticketId} (batch ${ticket.batchId}): ${outcome.kind === 'merged' ? `merge commit ${outcome.commit}` : 'already merged'} on ${outcome.into}`);
    await this.closeIfShowing(ticket);
    return outcome;
  }

  /** Removes the worktree and the branch; the transcript, the review and the costs stay in storage. */
  async reject(ticket: ReviewableTicket): Promise<void> {
    await this.closeIfShowing(ticket);
    await removeTicketWorktree(this.git, ticket.repoRoot, { path: ticket.worktree, branch: ticket.branch }, { deleteBranch: true });
    await this.decide(ticket, { ticket: 'rejected' });
    log.info(`Rejected ${ticket.ticketId} (batch ${ticket.batchId}): worktree and branch ${ticket.branch} removed`);
  }

  async acceptFile(ticket: ReviewableTicket, file: ChangedFile): Promise<FileAcceptOutcome | RefusedOutcome> {
    let outcome: FileAcceptOutcome;
    try {
      outcome = await acceptFileChange(this.git, ticket.repoRoot, { baseCommit: ticket.baseCommit, branch: ticket.branch, path: file.path, ticketId: ticket.ticketId });
    } catch (error) {
      if (error instanceof LocalFileChangesError) return refused(error.message, [error.file]);
      if (error instanceof FileMergeConflictError) return refused(error.message, error.files);
      throw error;
    }
    await this.decide(ticket, { file: { path: file.path, decision: 'accepted' } });
    return outcome;
  }

  /** Reverts one file in the ticket's worktree with a commit, then shows the review again without it. */
  async rejectFile(ticket: ReviewableTicket, file: ChangedFile): Promise<string | null> {
    const session = await buildReviewSession(this.git, this.requireStorage(), ticket);
    if (!session.worktreeExists) throw new WorktreeMissingError(ticket.ticketId, ticket.worktree);
    const commit = await rejectFileChange(this.git, ticket.worktree, { baseCommit: ticket.baseCommit, branch: ticket.branch, path: file.path, ticketId: ticket.ticketId, ...(file.oldPath ? { oldPath: file.oldPath } : {}) });
    await this.decide(ticket, { file: { path: file.path, decision: 'rejected' } });
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

  private async decide(ticket: ReviewableTicket, change: Parameters<typeof recordDecision>[3]): Promise<void> {
    const storage = this.requireStorage();
    await recordDecision(new BatchStateStore({ storage, logger: log }), ticket.batchId, ticket.ticketId, change);
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

function refused(message: string, files: readonly string[]): RefusedOutcome {
  return { kind: 'refused', message, files };
}
