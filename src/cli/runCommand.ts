import { parseArgs } from 'node:util';
import type { CliIo } from './cliIo';
import { cliSession, runWithProgress } from './batchSession';
import { warnWithoutSandbox } from './cliSettings';
import { resolveSelection, SELECTION_FLAGS } from './selectionOptions';

/** `flotilla run`: runs the selected tickets as one batch (CLI contract in ARCHITECTURE.md). */
export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: SELECTION_FLAGS, strict: true, allowPositionals: false });
  const { selection, storage } = await resolveSelection(values, io.err);
  const { session } = cliSession({ storage, simulate: values.simulate ?? false, ...(values['api-base'] === undefined ? {} : { apiBase: values['api-base'] }), io });
  await warnWithoutSandbox(io, selection.settings);
  const { code } = await runWithProgress(io, values.json ?? false, (hooks) => session.run(selection, hooks));
  return code;
}
