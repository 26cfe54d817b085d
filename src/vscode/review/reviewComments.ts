import * as vscode from 'vscode';
import { COMMAND_IDS } from '../commandTable';
import type { ThreadPlacement } from '../../core/session/threadPlacement';
import { fileDecisionLines, verdictLabel, type VerdictView } from '../../core/session/reviewVerdict';

/** The verdict of the ticket under review and where its thread goes (the top of the first changed file). */
export interface VerdictPlacement {
  readonly view: VerdictView;
  readonly uri: vscode.Uri;
  readonly target: { readonly batchId: string; readonly ticketId: string };
}

/** The decisions offered as links in the verdict; only these commands run from the comment. */
const VERDICT_ACTIONS = [
  ['Accept & Merge', COMMAND_IDS.acceptTicket],
  ['Reject', COMMAND_IDS.rejectTicket],
  ['Request Changes', COMMAND_IDS.requestChanges],
  ['Show Gate Output', COMMAND_IDS.showGateOutput],
] as const;

/** What each changed file offers in its own thread: a decision on that file alone. */
const FILE_ACTIONS = [
  ['Accept File', COMMAND_IDS.acceptFile],
  ['Reject File', COMMAND_IDS.rejectFile],
] as const;

/** The ticket under review and the files of its change, each of which gets a thread with its own decisions. */
export interface FileDecisionPlacement {
  readonly target: { readonly batchId: string; readonly ticketId: string };
  readonly files: readonly string[];
}

const SEVERITY_ICONS = { info: '$(info)', warning: '$(warning)', error: '$(error)' } as const;

/**
 * The findings of the ticket under review as comment threads (Comments API). One controller for the
 * extension; showing another ticket replaces the threads.
 */
export class ReviewComments implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController('flotilla.review', 'Flotilla review');
  private current: vscode.CommentThread[] = [];

  /** `uriOf` maps a changed path to the document the thread belongs on (the right side of the diff). */
  show(placements: readonly ThreadPlacement[], uriOf: (file: string) => vscode.Uri | undefined, verdict?: VerdictPlacement, fileDecisions?: FileDecisionPlacement): readonly vscode.CommentThread[] {
    this.clear();
    if (verdict) {
      // First, so it reads as the header of the review: level, verdict, summaries, failed gates.
      const thread = this.controller.createCommentThread(verdict.uri, new vscode.Range(0, 0, 0, 0), [verdictComment(verdict)]);
      thread.label = verdictLabel(verdict.view);
      thread.canReply = false;
      thread.contextValue = 'flotillaVerdict';
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      this.current.push(thread);
    }
    // Accept File / Reject File on each file of the review, at its top, not only in the palette.
    for (const file of fileDecisions?.files ?? []) {
      const uri = uriOf(file);
      if (!uri) continue;
      const thread = this.controller.createCommentThread(uri, new vscode.Range(0, 0, 0, 0), [fileDecisionComment(file, fileDecisions!.target)]);
      thread.label = `Decide ${file} alone`;
      thread.canReply = false;
      thread.contextValue = 'flotillaFileDecision';
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      this.current.push(thread);
    }
    for (const placement of placements) {
      const uri = uriOf(placement.file);
      if (!uri) continue;
      const range = new vscode.Range(placement.line, 0, placement.line, 0);
      const thread = this.controller.createCommentThread(uri, range, [findingComment(placement)]);
      thread.label = placement.fileLevel ? `${placement.label} (file)` : placement.label;
      thread.canReply = false;
      thread.contextValue = 'flotillaFinding';
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      this.current.push(thread);
    }
    return this.current;
  }

  threads(): readonly vscode.CommentThread[] {
    return this.current;
  }

  clear(): void {
    for (const thread of this.current.splice(0)) thread.dispose();
  }

  dispose(): void {
    this.clear();
    this.controller.dispose();
  }
}

function findingComment(placement: ThreadPlacement): vscode.Comment {
  // The message comes from a model reading untrusted code: plain text in an untrusted Markdown string.
  const body = new vscode.MarkdownString(undefined, true);
  body.isTrusted = false;
  body.supportHtml = false;
  body.appendMarkdown(`${SEVERITY_ICONS[placement.severity]} **${placement.severity}** · ${placement.source} review`);
  if (placement.note) body.appendMarkdown('\n\n_').appendText(placement.note).appendMarkdown('_');
  body.appendMarkdown('\n\n').appendText(placement.message);
  return { body, mode: vscode.CommentMode.Preview, author: { name: `Flotilla ${placement.source}` } };
}

function verdictComment({ view, target }: VerdictPlacement): vscode.Comment {
  // Summaries and gate output are untrusted text: appended as text or as an indented code block
  // (every line indented, so nothing can end the block); only the four decision commands may run.
  const body = new vscode.MarkdownString(undefined, true);
  body.isTrusted = { enabledCommands: VERDICT_ACTIONS.map(([, id]) => id) };
  body.supportHtml = false;
  const icon = view.verdict === 'PASS' ? '$(pass)' : view.verdict === 'FAIL' ? '$(error)' : '$(question)';
  body.appendMarkdown(`${icon} **${view.verdict ?? 'No verdict stored'}** · review level **`).appendText(view.level).appendMarkdown('** — ').appendText(view.levelWords);
  if (view.levelReason) body.appendMarkdown('\n\n_').appendText(`Why this level: ${view.levelReason}`).appendMarkdown('_');
  for (const line of view.reviews) body.appendMarkdown('\n\n- ').appendText(line);
  for (const line of view.skipped) body.appendMarkdown('\n\n- ').appendText(line);
  if (view.gates) body.appendMarkdown('\n\nGates: ').appendText(view.gates);
  body.appendMarkdown('\n\n').appendText(view.findings === 0 ? 'No findings.' : `${view.findings} finding${view.findings === 1 ? '' : 's'}, shown on their lines.`);
  const [outOfDate, ...decided] = fileDecisionLines(view);
  if (outOfDate) body.appendMarkdown('\n\n$(warning) ').appendText(outOfDate);
  for (const line of decided) body.appendMarkdown('\n\n- ').appendText(line);
  for (const gate of view.failedGates) {
    body.appendMarkdown('\n\n$(error) ').appendText(gate.title);
    if (gate.command) body.appendMarkdown(': ').appendText(gate.command);
    body.appendMarkdown('\n\n').appendMarkdown(indentedBlock(gate.outputTail || '(no output)'));
  }
  const args = encodeURIComponent(JSON.stringify([{ batchId: target.batchId, ticketId: target.ticketId }]));
  body.appendMarkdown(`\n\n${VERDICT_ACTIONS.map(([title, id]) => `[${title}](command:${id}?${args})`).join(' · ')}`);
  return { body, mode: vscode.CommentMode.Preview, author: { name: 'Flotilla verdict' } };
}

function fileDecisionComment(file: string, target: FileDecisionPlacement['target']): vscode.Comment {
  // The path comes from the ticket's branch (a model wrote it): text, and the two file commands only.
  const body = new vscode.MarkdownString(undefined, true);
  body.isTrusted = { enabledCommands: FILE_ACTIONS.map(([, id]) => id) };
  body.supportHtml = false;
  const args = encodeURIComponent(JSON.stringify([{ batchId: target.batchId, ticketId: target.ticketId, file }]));
  body.appendText(`This file only, apart from the rest of ${target.ticketId}: `);
  body.appendMarkdown(FILE_ACTIONS.map(([title, id]) => `[${title}](command:${id}?${args})`).join(' · '));
  return { body, mode: vscode.CommentMode.Preview, author: { name: 'Flotilla' } };
}

function indentedBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
