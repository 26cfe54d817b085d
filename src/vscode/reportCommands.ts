import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { loadReport } from '../core/report/loadReport';
import { NoBatchesError, UnknownBatchError } from '../core/report/reportErrors';
import { REPORT_EXTENSIONS, renderReport, type ReportFormat } from '../core/report/renderReport';
import type { Report } from '../core/report/reportModel';
import type { FlotillaContext } from './flotillaContext';
import { log } from './log';
import { errorMessage } from '../core/errorText';

export interface ReportCommandDeps {
  readonly ctx: FlotillaContext;
  /** The batch this window ran last, if any; otherwise the newest in storage. */
  readonly currentBatchId: () => string | null;
}

const FORMAT_PICKS: readonly (vscode.QuickPickItem & { format: ReportFormat; language: string })[] = [
  { label: 'Markdown', description: '.md', detail: 'Tickets, totals vs. the single-agent estimate, all batches, metrics', format: 'md', language: 'markdown' },
  { label: 'CSV', description: '.csv', detail: 'One row per ticket, for spreadsheets', format: 'csv', language: 'plaintext' },
  { label: 'JSON', description: '.json', detail: 'The whole report, for scripts', format: 'json', language: 'json' },
  { label: 'YAML', description: '.yaml', detail: 'The whole report, readable', format: 'yaml', language: 'yaml' },
];

/** The report of `batchId` (or the current/newest batch), or undefined after telling the user why not. */
export async function reportFor(deps: ReportCommandDeps, batchId?: string): Promise<Report | undefined> {
  const storage = deps.ctx.storageDir;
  if (storage === undefined) {
    void vscode.window.showInformationMessage('Flotilla: open a folder to see batch reports (they are kept per workspace).');
    return undefined;
  }
  const wanted = batchId ?? deps.currentBatchId() ?? undefined;
  try {
    return await loadReport({ storage, globalStorage: deps.ctx.globalStorageDir, logger: log, ...(wanted !== undefined ? { batchId: wanted } : {}) });
  } catch (error) {
    if (error instanceof NoBatchesError) {
      void vscode.window.showInformationMessage('Flotilla: no batch has run in this workspace yet. Tick tickets and run a batch first.');
      return undefined;
    }
    if (error instanceof UnknownBatchError && batchId === undefined && wanted !== undefined) {
      // The batch this window ran has no state on disk (yet): fall back to the newest one.
      return reportFor({ ...deps, currentBatchId: () => null });
    }
    throw error;
  }
}

/** "Show Batch Report": the Markdown report in the preview; a copy is kept under storage/reports/. */
export async function showBatchReport(deps: ReportCommandDeps, batchId?: unknown): Promise<void> {
  const report = await reportFor(deps, typeof batchId === 'string' ? batchId : undefined);
  if (report === undefined || deps.ctx.storageDir === undefined) return;
  const dir = join(deps.ctx.storageDir, 'reports');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${report.batch.id}.md`);
  await writeFile(file, renderReport(report, 'md'), 'utf8');
  const uri = vscode.Uri.file(file);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch (error) {
    // Without the built-in Markdown extension the source is still readable.
    log.warn(`Markdown preview unavailable (${errorMessage(error)}); opening the file`);
    await vscode.window.showTextDocument(uri);
  }
}

/** "Export Report": pick a format, then save it to a file or open it as an untitled document. */
export async function exportReport(deps: ReportCommandDeps, batchId?: unknown): Promise<void> {
  const pick = await vscode.window.showQuickPick(FORMAT_PICKS, { title: 'Export Flotilla Report', placeHolder: 'Format' });
  if (pick === undefined) return;
  const report = await reportFor(deps, typeof batchId === 'string' ? batchId : undefined);
  if (report === undefined) return;
  const text = renderReport(report, pick.format);
  const where = await vscode.window.showQuickPick(['Save to File…', 'Open in Editor'], { title: `Export report of ${report.batch.id}` });
  if (where === undefined) return;
  if (where === 'Open in Editor') {
    const document = await vscode.workspace.openTextDocument({ content: text, language: pick.language });
    await vscode.window.showTextDocument(document);
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `flotilla-${report.batch.id}.${REPORT_EXTENSIONS[pick.format]}`;
  const target = await vscode.window.showSaveDialog({
    title: 'Save Flotilla Report',
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: { [pick.label]: [REPORT_EXTENSIONS[pick.format]] },
  });
  if (target === undefined) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  const open = await vscode.window.showInformationMessage(`Flotilla report saved to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
  if (open) await vscode.window.showTextDocument(target);
}

/** The report commands, for registerCommands; the status bar knows which batch this window ran. */
export function reportHandlers(ctx: FlotillaContext, statusBar: { currentBatchId(): string | null }): { showBatchReport: (...args: unknown[]) => unknown; exportReport: (...args: unknown[]) => unknown } {
  const deps: ReportCommandDeps = { ctx, currentBatchId: () => statusBar.currentBatchId() };
  return {
    showBatchReport: (batchId) => showBatchReport(deps, batchId),
    exportReport: (batchId) => exportReport(deps, batchId),
  };
}
