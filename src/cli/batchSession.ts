import type { BatchSummary } from '../core/batch/batchTypes';
import { parseApiBase } from '../core/llm/apiBase';
import type { Logger } from '../core/logger';
import { openEndpoint } from '../core/session/endpoint';
import { FlotillaSession, type RunHooks } from '../core/session/flotillaSession';
import { cancelOnSignals } from './cancelSignals';
import type { CliIo } from './cliIo';
import { ProgressDisplay, renderSummary } from './progressDisplay';
import { stderrLogger } from './stderrLogger';
import { EXIT } from './usageError';
import { formatUsd } from '../core/vocabulary/amounts';
import { formatUsdLimit } from '../core/usdAmount';

export interface CliSessionOptions {
  readonly storage: string;
  /** `--simulate` (a resumed simulated batch stays simulated whatever the flag says). */
  readonly simulate: boolean;
  readonly apiBase?: string;
  readonly io: CliIo;
}

/**
 * The core session with the CLI's choices: one storage folder for batches and the ledger, the key
 * from ANTHROPIC_API_KEY (or the simulator with --simulate), warnings on stderr.
 */
export function cliSession(options: CliSessionOptions): { session: FlotillaSession; logger: Logger } {
  // A bad --api-base is refused before anything is read or written, whatever the command finds in storage.
  if (options.apiBase !== undefined) parseApiBase(options.apiBase);
  const logger = stderrLogger(options.io.err);
  const session = new FlotillaSession({
    storage: options.storage,
    globalStorage: options.storage,
    logger,
    endpoint: (_settings, storedSimulated) =>
      openEndpoint({ simulated: options.simulate || storedSimulated === true, apiKey: process.env.ANTHROPIC_API_KEY, ...(options.apiBase === undefined ? {} : { apiBase: options.apiBase }) }),
    onSoftAlert: (alert) => options.io.err(`warning: ${alert.percent}% of the ${alert.limit} budget used (${formatUsd(alert.spentUsd)} of ${formatUsdLimit(alert.limitUsd)})`),
  });
  return { session, logger };
}

/**
 * Runs one batch (new or resumed) with live progress on stderr, Ctrl-C or SIGTERM to cancel cleanly
 * (a second quits at once), and the summary at the end. Returns the exit code of the CLI contract.
 */
export async function runWithProgress(io: CliIo, json: boolean, run: (hooks: RunHooks) => Promise<BatchSummary>): Promise<{ code: number; summary: BatchSummary }>;
export async function runWithProgress(io: CliIo, json: boolean, run: (hooks: RunHooks) => Promise<BatchSummary | null>): Promise<{ code: number; summary: BatchSummary | null }>;
export async function runWithProgress(io: CliIo, json: boolean, run: (hooks: RunHooks) => Promise<BatchSummary | null>): Promise<{ code: number; summary: BatchSummary | null }> {
  const display = new ProgressDisplay(io, json ? 'json' : process.stdout.isTTY ? 'live' : 'lines');
  const controller = new AbortController();
  const stopListening = cancelOnSignals(controller, io, 'running workers stop, finished tickets are kept and flotilla resume continues');
  try {
    const summary = await run({ signal: controller.signal, onEvent: (event) => display.onEvent(event) });
    if (summary === null) return { code: EXIT.ok, summary };
    if (json) io.out(JSON.stringify({ type: 'summary', ...summary }));
    else io.out(renderSummary(summary));
    return { code: summary.state === 'stopped-by-budget' ? EXIT.budget : summary.state === 'done' ? EXIT.ok : EXIT.ticketsFailed, summary };
  } finally {
    display.stop();
    stopListening();
  }
}
