import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from '../configuration';
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
import { windowPrompts, type ReviewPrompts } from './reviewPrompts';
import { headState } from '../../core/git/repository';
import type { TicketLifecycles } from '../ticketLifecycles';
import type { ChangedFile } from '../../core/session/ticketChanges';
import type { TicketRecord } from '../../core/batch/batchTypes';
import { changeRequestReport, type ChangeRequestReport } from '../../core/session/changeRequestReport';

/**
 * What Request Changes needs from the batch engine: run a fix loop on the ticket's worktree with the
 * reviewer's feedback. The engine (src/vscode/batchEngine.ts) provides it; until then it is absent.
 */
export interface ChangeRequester {
  requestChanges(batchId: string, ticketId: string, feedback: string): Promise<TicketRecord>;
}

export interface ReviewControllerOptions {
  readonly storageDir: string | undefined;
  readonly git?: GitClient;
  readonly requester?: () => ChangeRequester | undefined;
  /** Reloaded after every decision, so the tree and the palette follow. */
  readonly lifecycles?: TicketLifecycles;
  /** Called once a ticket is accepted (extension.ts unticks it). */
  readonly onAccepted?: (ticketId: string) => void;
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
  private answers: ReviewPrompts | undefined;

  constructor(private readonly options: ReviewControllerOptions) {
    super();
    this.git = options.git ?? new GitClient();
    for (const d of registerReviewDocuments(this.git, () => options.storageDir)) this.register(d);
    // A review whose changes editor the user closed is over: its threads and decisions go with it.
    this.register(vscode.window.tabGroups.onDidChangeTabs(() => {
      if (this.session && this.reviewTabs(this.session).length === 0) void this.endSession();
    }));
  }

  /** How commands ask which ticket and whether to go ahead. */
  get prompts(): ReviewPrompts {
    return this.answers ?? windowPrompts;
  }

  /** Test mode only (extension.ts): the integration suites answer the questions and see what was asked. */
  usePrompts(answers: ReviewPrompts): vscode.Disposable {
    this.answers = answers;
    return { dispose: () => (this.answers = undefined) };
  }

  /** The ticket whose review is open and in front of the user (the active tab of an editor group), if any. */
  visibleReview(): ReviewableTicket | undefined {
    const session = this.session;
    if (!session) return undefined;
    return vscode.window.tabGroups.all.some((group) => group.activeTab !== undefined && this.isReviewTab(session, group.activeTab)) ? session.ticket : undefined;
  }

  /** The branch a ticket would be merged into: the repository's current branch. */
  async targetBranch(ticket: ReviewableTicket): Promise<string> {
    const head = await headState(this.git, ticket.repoRoot);
    return head.kind === 'detached' ? `the detached HEAD at ${head.commit.slice(0, 7)}` : head.branch;
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
    await vscode.commands.executeCommand('vscode.changes', session.title, session.resources);
    // Kept, not a preview: "Open File" on one of its files would otherwise replace it, and the review with it.
    await vscode.commands.executeCommand('workbench.action.keepEditor');
    // Set once its tab exists: the tab watcher ends a session whose tab is gone.
    this.session = session;
    // Opened again after a file decision: the kept tab of the change as it was would stay beside it.
    const stale = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => this.isReviewTab(session, t) && !t.isActive);
    if (stale.length > 0) await vscode.window.tabGroups.close(stale);
    const first = session.files[0];
    const verdictUri = first && session.uriOf(first.path);
    const verdict = session.verdict && verdictUri ? { view: session.verdict, uri: verdictUri, target: { batchId: ticket.batchId, ticketId: ticket.ticketId } } : undefined;
    const target = { batchId: ticket.batchId, ticketId: ticket.ticketId };
    this.comments.show(session.placements, (path) => session.uriOf(path), verdict, { target, files: session.files.map((f) => f.path) });
    await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, true);
    if (session.review.kind === 'invalid') log.warn(`The stored review of ${ticket.ticketId} could not be read: ${session.review.message}`);
    return session;
  }

  async accept(ticket: ReviewableTicket, confirmOverlaps: (w: readonly OverlapWarning[]) => Promise<boolean>): Promise<TicketAcceptOutcome> {
    const outcome = await this.decisions().accept(ticket, confirmOverlaps);
    if (outcome.kind !== 'cancelled' && outcome.kind !== 'refused') {
      await this.closeIfShowing(ticket);
      this.options.onAccepted?.(ticket.ticketId);
      await this.options.lifecycles?.refresh();
    }
    return outcome;
  }

  async reject(ticket: ReviewableTicket): Promise<void> {
    await this.closeIfShowing(ticket);
    await this.decisions().reject(ticket);
    await this.options.lifecycles?.refresh();
  }

  /** Commits one file on the user's branch, then shows the review again with its verdict marked out of date. */
  async acceptFile(ticket: ReviewableTicket, file: ChangedFile): Promise<FileDecisionOutcome> {
    const outcome = await this.decisions().acceptFile(ticket, file);
    if (outcome.kind !== 'refused') await this.reopenIfShowing(ticket);
    await this.options.lifecycles?.refresh();
    return outcome;
  }

  /** Reverts one file on the ticket branch, then shows the review again without it, listing it as rejected. */
  async rejectFile(ticket: ReviewableTicket, file: ChangedFile): Promise<string | null> {
    const commit = await this.decisions().rejectFile(ticket, file);
    await this.reopenIfShowing(ticket);
    await this.options.lifecycles?.refresh();
    return commit;
  }

  /** The review again, from the stored decisions as they are now (the file decision just recorded). */
  private async reopenIfShowing(ticket: ReviewableTicket): Promise<void> {
    if (!this.isShowing(ticket)) return;
    const fresh = (await this.tickets()).find((t) => t.batchId === ticket.batchId && t.ticketId === ticket.ticketId) ?? ticket;
    await this.open(fresh);
  }

  /** Runs the fix loop with the feedback; resolves when it has finished, with what it changed. */
  async requestChanges(ticket: ReviewableTicket, feedback: string): Promise<ChangeRequestReport> {
    const requester = this.options.requester?.();
    if (!requester) throw new NoBatchEngineError();
    const after = await requester.requestChanges(ticket.batchId, ticket.ticketId, feedback);
    await this.options.lifecycles?.refresh();
    return changeRequestReport(this.git, ticket.repoRoot, ticket, after);
  }

  async showGateOutput(ticket: ReviewableTicket): Promise<vscode.Uri> {
    const uri = gatesUri(ticket.batchId, ticket.ticketId);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return uri;
  }

  private decisions(): TicketDecisions {
    // Accept finds the ticket's file in the folder the Tickets view reads.
    return new TicketDecisions(this.requireStorage(), this.git, log, {
      ticketsFolder: (repoRoot) => resolve(repoRoot, readSettings()['tickets.folder']),
      // Another decision on the batch (a terminal's flotilla accept) goes first; the log says why this one pauses.
      decisionLock: { onWait: (holder) => log.info(`Waiting for ${holder === null ? 'another decision' : `${holder.decision} (process ${holder.pid})`} on the same batch to finish`) },
    });
  }

  private isShowing(ticket: ReviewableTicket): boolean {
    return this.session?.ticket.batchId === ticket.batchId && this.session.ticket.ticketId === ticket.ticketId;
  }

  /** A decided ticket's review is over: its threads go and its changes editor closes. */
  private async closeIfShowing(ticket: ReviewableTicket): Promise<void> {
    const session = this.session;
    if (!session || !this.isShowing(ticket)) return;
    await this.endSession();
    const tabs = this.reviewTabs(session);
    if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
  }

  private async endSession(): Promise<void> {
    this.session = undefined;
    this.comments.clear();
    await vscode.commands.executeCommand('setContext', REVIEWING_CONTEXT, false);
  }

  private reviewTabs(session: ReviewSession): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => this.isReviewTab(session, t));
  }

  /** The changes editor appends the file count to the title: "Review T1: … (2 files)". */
  private isReviewTab(session: ReviewSession, tab: vscode.Tab): boolean {
    return tab.label === session.title || tab.label.startsWith(`${session.title} (`);
  }

  private requireStorage(): string {
    if (!this.options.storageDir) throw new NoStorageError();
    return this.options.storageDir;
  }
}
