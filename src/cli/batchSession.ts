import type { ResumeInfo } from '../core/store/batchExtra';
import { newBatchId } from '../core/batch/batchIds';
import { BatchRuntime } from '../core/batch/batchRuntime';
import type { BatchSummary, TicketRecord } from '../core/batch/batchTypes';
import type { BatchLock } from '../core/store/batchLock';
import type { CliIo } from './cliIo';
import { resolveEndpoint } from './modelAccess';
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
  readonly resume?: { readonly batchId: string; readonly previous: readonly TicketRecord[]; readonly baseCommit: string; readonly lock?: BatchLock };
}

/**
 * One batch run from the CLI on the shared runtime (ledger, budget, recorded state), with live
 * progress and Ctrl-C to cancel cleanly. Returns the exit code of the CLI contract.
 */
export async function runBatchSession(options: SessionOptions): Promise<{ code: number; summary: BatchSummary }> {
  const { selection, io } = options;
  const logger = stderrLogger(io.err);
  const endpoint = await resolveEndpoint({ simulate: options.simulate, apiBase: options.apiBase });
  const batchId = options.resume?.batchId ?? newBatchId();
  const { settings } = selection;
  const runtime = await BatchRuntime.open({
    batchId,
    storage: selection.storage,
    globalStorage: selection.storage,
    settings,
    endpoint,
    logger,
    countEarlierRecords: options.resume !== undefined,
    engine: selection.engine,
    simulated: endpoint.simulated,
    onSoftAlert: (alert) => io.err(`warning: ${alert.percent}% of the ${alert.limit} budget used ($${alert.spentUsd.toFixed(2)} of $${alert.limitUsd.toFixed(2)})`),
  }).catch(async (error: unknown) => {
    await endpoint.close(); // a refused storage folder must not leave the simulator holding the process open
    throw error;
  });
  const info: ResumeInfo = { repoRoot: selection.repo, workspace: selection.repo, mode: selection.mode, tier: selection.tier, simulated: endpoint.simulated, picks: {} };
  const display = new ProgressDisplay(io, options.json ? 'json' : process.stdout.isTTY ? 'live' : 'lines');
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    io.err('cancelling: running workers stop, finished tickets are kept (Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await runtime.runRecorded(
      {
        repo: selection.repo,
        workspace: selection.repo,
        tickets: selection.tickets,
        settings,
        mode: selection.mode,
        tier: selection.tier,
        simulated: endpoint.simulated,
        signal: controller.signal,
        onEvent: (event) => display.onEvent(event),
      },
      { info, resume: options.resume },
    );
    if (options.json) io.out(JSON.stringify({ type: 'summary', ...summary }));
    else io.out(renderSummary(summary));
    const code = summary.state === 'stopped-by-budget' ? EXIT.budget : summary.state === 'done' ? EXIT.ok : EXIT.ticketsFailed;
    return { code, summary };
  } finally {
    display.stop();
    process.off('SIGINT', onSigint);
    await runtime.close();
    await endpoint.close();
  }
}
