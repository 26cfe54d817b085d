import { workerProcesses } from '../core/process/workerProcesses';
import type { CliIo } from './cliIo';

/** The signals a user or a supervisor (systemd, Docker, CI runners, `timeout`) sends to stop a command. */
const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM'] as const;
type CancelSignal = (typeof CANCEL_SIGNALS)[number];
const EXIT_ON_SECOND: Readonly<Record<CancelSignal, number>> = { SIGINT: 130, SIGTERM: 143 };
const NAME: Readonly<Record<CancelSignal, string>> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM' };

/**
 * Ctrl-C and SIGTERM take one path (issue 20 item 4): the first aborts `controller` — running workers
 * stop, their processes are ended, final states are written and the batch's lock removed, as for a
 * cancel — and a second of either quits at once (128 + the signal's number). Without this, SIGTERM
 * killed Node outright and left Claude Code and gate processes running. Returns the remover.
 */
export function cancelOnSignals(controller: AbortController, io: Pick<CliIo, 'err'>, what: string): () => void {
  const handlers = CANCEL_SIGNALS.map((signal) => {
    const handler = () => {
      if (controller.signal.aborted) {
        // Quitting at once skips the cancel path, so the worker processes are ended here, or they outlive us.
        workerProcesses.killAllNow();
        process.exit(EXIT_ON_SECOND[signal]);
      }
      io.err(`cancelling: ${what} (${NAME[signal]} again to quit at once)`);
      controller.abort();
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
