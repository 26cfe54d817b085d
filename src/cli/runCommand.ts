import { parseArgs } from 'node:util';
import type { CliIo } from './cliIo';
import { runBatchSession } from './batchSession';
import { resolveSelection, SELECTION_FLAGS } from './selectionOptions';

/** `flotilla run`: runs the selected tickets as one batch (CLI contract in ARCHITECTURE.md). */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: SELECTION_FLAGS, strict: true, allowPositionals: false });
  const selection = await resolveSelection(values, io.err);
  const { code } = await runBatchSession({ selection, simulate: values.simulate ?? false, apiBase: values['api-base'], json: values.json ?? false, io });
  return code;
}
