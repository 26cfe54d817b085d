import { randomBytes } from 'node:crypto';
import { coreReviewer } from '../core/batch/coreReviewer';
import { BatchRecorder, type ResumeInfo } from '../core/batch/batchRecorder';
import type { BatchSummary } from '../core/batch/batchTypes';
import { runBatch } from '../core/batch/runBatch';
import { UsageTally } from '../core/batch/usageTally';
import { GitClient } from '../core/git/gitClient';
import { BudgetGuard } from '../core/store/budget';
import { BatchStateStore } from '../core/store/batchStateStore';
import { checkWritable } from '../core/store/checkWritable';
import { foldLedger } from '../core/store/ledgerReader';
import { UsageLedger } from '../core/store/ledgerWriter';
import type { TicketRecord } from '../core/batch/batchTypes';
import type { CliIo } from './cliIo';
import { openModelAccess } from './modelAccess';
import { ProgressDisplay, renderSummary } from './progressDisplay';
import type { Selection } from './selectionOptions';
import { stderrLogger } from './stderrLogger';
import { EXIT } from './usageError';

export interface SessionOptions {
  readonly selection: Selection;
  readonly simulate: boolean;
  readonly apiBase?: string;
  readonly json: boolean;
  readonly io: CliIo;
  /** Resume: run the selection's tickets in an existing batch instead of creating one. */
  readonly resume?: { readonly batchId: string; readonly previous: readonly TicketRecord[]; readonly baseCommit: string };
}

export function newBatchId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `b${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * One batch run from the CLI: storage checked before anything starts, the ledger and the budget
 * guard wired into the model client, state and execution log recorded, Ctrl-C cancels cleanly.
 * Returns the exit code of the CLI contract.
 */
export async function runBatchSession(options: SessionOptions): Promise<{ code: number; summary: BatchSummary }> {
  const { selection, io } = options;
  const logger = stderrLogger(io.err);
  await checkWritable(selection.storage);
  const ledger = new UsageLedger({ globalStorage: selection.storage, logger });
  const tally = new UsageTally();
  const batchId = options.resume?.batchId ?? newBatchId();
  if (options.resume) {
    // Costs of the batch's earlier runs are in the ledger already: count them, never add them again.
    await foldLedger(selection.storage, (record) => {
      if (record.batchId === batchId) tally.add(record);
    });
  }
  const monthly = selection.settings['budget.monthlyUsd'];
  const guard = await BudgetGuard.open(selection.storage, {
    limits: { monthlyUsd: monthly > 0 ? monthly : null, batchUsd: selection.budgetUsd, softAlertPercent: selection.settings['budget.softAlertPercent'] },
    batchSpentUsd: tally.totals({ batchId }).costUsd ?? 0,
    onSoftAlert: (alert) => io.err(`warning: ${alert.percent}% of the ${alert.limit} budget used ($${alert.spentUsd.toFixed(2)} of $${alert.limitUsd.toFixed(2)})`),
  });
  const hooks = guard.clientHooks(async (record) => {
    await ledger.append(record);
    tally.add(record);
  });
  const access = await openModelAccess({ simulate: options.simulate, apiBase: options.apiBase, settings: selection.settings, logger, recordUsage: hooks.recordUsage, beforeCall: hooks.beforeCall });
  const git = new GitClient();
  const store = new BatchStateStore({ storage: selection.storage, logger });
  const info: ResumeInfo = { repoRoot: selection.repo, workspace: selection.repo, mode: selection.mode, tier: selection.tier, simulated: access.simulated, picks: {} };
  if (options.resume) await store.claim(batchId);
  else await store.create({ id: batchId, mode: selection.mode === 'single' ? 'single' : selection.mode === 'direct' ? 'direct' : 'orchestrated', ticketIds: selection.tickets.map((t) => t.id), baseCommit: null, extra: { resume: info } });
  const recorder = new BatchRecorder(store, selection.storage, batchId, logger);
  const display = new ProgressDisplay(io, options.json ? 'json' : process.stdout.isTTY ? 'live' : 'lines');
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    io.err('cancelling: running workers stop, finished tickets are kept (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  recorder.start();
  try {
    const summary = await runBatch(
      {
        batchId,
        repo: selection.repo,
        storageDir: selection.storage,
        workspace: selection.repo,
        tickets: selection.tickets,
        settings: selection.settings,
        mode: selection.mode,
        tier: selection.tier,
        simulated: access.simulated,
        previous: options.resume?.previous,
        persist: (record) => recorder.saveTicket(record),
        baseCommit: options.resume?.baseCommit,
        signal: controller.signal,
        onEvent: (event) => {
          recorder.onEvent(event);
          display.onEvent(event);
        },
      },
      {
        git,
        client: access.client,
        tally,
        logger,
        reviewer: coreReviewer({ git, client: access.client, settings: selection.settings, workspace: selection.repo, batchId, logger, onOutcome: (id, outcome) => void recorder.writeReview(id, outcome) }),
      },
    );
    await recorder.finish(summary);
    if (options.json) io.out(JSON.stringify({ type: 'summary', ...summary }));
    else io.out(renderSummary(summary));
    const code = summary.state === 'stopped-by-budget' ? EXIT.budget : summary.state === 'done' ? EXIT.ok : EXIT.ticketsFailed;
    return { code, summary };
  } finally {
    recorder.stop();
    display.stop();
    process.off('SIGINT', onSigint);
    await access.close();
    await ledger.close();
  }
}
