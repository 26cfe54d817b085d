import * as vscode from 'vscode';
import type { ThreadPlacement } from '../../core/session/threadPlacement';

const SEVERITY_ICONS = { info: '$(info)', warning: '$(warning)', error: '$(error)' } as const;

/**
 * The findings of the ticket under review as comment threads (Comments API). One controller for the
 * extension; showing another ticket replaces the threads.
 */
export class ReviewComments implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController('flotilla.review', 'Flotilla review');
  private current: vscode.CommentThread[] = [];

  /** `uriOf` maps a changed path to the document the thread belongs on (the right side of the diff). */
  show(placements: readonly ThreadPlacement[], uriOf: (file: string) => vscode.Uri | undefined): readonly vscode.CommentThread[] {
    this.clear();
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
