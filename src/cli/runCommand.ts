import { parseArgs } from 'node:util';
import { GitClient } from '../core/git/gitClient';
import type { CliIo } from './cliIo';
import { runBatchSession } from './batchSession';
import { BudgetTooSmallError, checkBudgetCoversFirstCall } from './budgetPrecheck';
import { resolveSelection, SELECTION_FLAGS } from './selectionOptions';
import { EXIT } from './usageError';

/** `flotilla run`: runs the selected tickets as one batch (CLI contract in ARCHITECTURE.md). */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: SELECTION_FLAGS, strict: true, allowPositionals: false });
  const selection = await resolveSelection(values, io.err);
  try {
    // Before any storage is touched: a budget that cannot pay for one call is a budget stop, not a run.
    await checkBudgetCoversFirstCall(selection, new GitClient());
  } catch (error) {
    if (!(error instanceof BudgetTooSmallError)) throw error;
    io.err(`flotilla run: ${error.message}`);
    return EXIT.budget;
  }
  const { code } = await runBatchSession({ selection, simulate: values.simulate ?? false, apiBase: values['api-base'], json: values.json ?? false, io });
  return code;
}
