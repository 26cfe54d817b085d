import * as vscode from 'vscode';
import type { GitClient } from '../../core/git/gitClient';
import { renderGateReport } from '../../core/session/gateReport';
import { loadStoredReview } from '../../core/store/storedReview';
import { fileTextAt } from '../../core/session/ticketChanges';

/** Read-only documents of the review: a file at a commit (the diff's base and ticket sides) and gate outputs. */
export const BASE_SCHEME = 'flotilla-base';
export const TICKET_SCHEME = 'flotilla-ticket';
export const GATES_SCHEME = 'flotilla-gates';

/** `flotilla-base:/<path>?repo=<root>&ref=<commit>`: the path keeps the file name, so the language is right. */
export function baseUri(repoRoot: string, ref: string, path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: BASE_SCHEME, path: `/${path}`, query: new URLSearchParams({ repo: repoRoot, ref }).toString() });
}

/** The ticket side: `flotilla-ticket:/<path>?repo=<root>&ref=<commit>&ticket=<id>&batch=<id>` (same path as the base side). */
export function ticketUri(repoRoot: string, ref: string, path: string, ticket: { readonly ticketId: string; readonly batchId: string }): vscode.Uri {
  return vscode.Uri.from({ scheme: TICKET_SCHEME, path: `/${path}`, query: new URLSearchParams({ repo: repoRoot, ref, ticket: ticket.ticketId, batch: ticket.batchId }).toString() });
}

export function gatesUri(batchId: string, ticketId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: GATES_SCHEME, path: `/${batchId}/${ticketId}/gates.log` });
}

/** Serves `git show <ref>:<path>`; a file that does not exist at that commit reads as empty. */
export class BaseContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly git: GitClient) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const repo = params.get('repo');
    const ref = params.get('ref');
    if (!repo || !ref) return '';
    return fileTextAt(this.git, repo, ref, uri.path.replace(/^\//, ''));
  }
}

/** Renders a ticket's stored gate results (commands, status, output tails). */
export class GateOutputProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly storageDir: () => string | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [batchId = '', ticketId = ''] = uri.path.split('/').filter(Boolean);
    const storage = this.storageDir();
    if (!storage) return 'Open a folder: gate outputs are kept in the workspace storage.';
    const stored = await loadStoredReview(storage, batchId, ticketId);
    if (stored.kind === 'missing') return `No review was stored for ${ticketId} in batch ${batchId}.`;
    if (stored.kind === 'invalid') return `The stored review of ${ticketId} could not be read: ${stored.message}`;
    return renderGateReport(ticketId, stored.review);
  }
}

export function registerReviewDocuments(git: GitClient, storageDir: () => string | undefined): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(BASE_SCHEME, new BaseContentProvider(git)),
    vscode.workspace.registerTextDocumentContentProvider(TICKET_SCHEME, new BaseContentProvider(git)),
    vscode.workspace.registerTextDocumentContentProvider(GATES_SCHEME, new GateOutputProvider(storageDir)),
  ];
}
