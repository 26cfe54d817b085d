import { parseArgs } from 'node:util';
import { describeResume, ResumeError } from '../core/batch/resumePlan';
import { defaultSettings } from '../core/settings/settingsSchema';
import { cliSession, runWithProgress } from './batchSession';
import type { CliIo } from './cliIo';
import { parseEngine } from './selectionOptions';
import { storageFolder } from './storageFolder';
import { UsageError } from './usageError';

/**
 * `flotilla resume --storage DIR [--batch ID] [--api-base URL] [--simulate] [--json]`: continues a
 * batch that was cut off (a crash, Ctrl-C, a budget stop). Done tickets and tickets that failed on
 * their own merits keep their branches and costs; the rest run again from the batch's original base
 * commit, in their existing worktrees, and the command says which and why.
 */
export async function resumeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { storage: { type: 'string' }, batch: { type: 'string' }, 'api-base': { type: 'string' }, simulate: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, engine: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const settings = defaultSettings();
  const engine = parseEngine(values.engine, settings);
  const { session } = cliSession({ storage: storageFolder(values.storage), simulate: values.simulate ?? false, ...(values['api-base'] === undefined ? {} : { apiBase: values['api-base'] }), io });
  let nothingLeft: string | undefined;
  try {
    const { code } = await runWithProgress(io, values.json ?? false, async (hooks) => {
      const outcome = await session.resume({ ...hooks, settings, engine, ...(values.batch === undefined ? {} : { batchId: values.batch }), onNotice: (line) => io.err(line), onPlan: (plan) => describeResume(plan).forEach((line) => io.err(line)) });
      if (outcome.kind === 'ran') return outcome.summary;
      nothingLeft = outcome.plan.state.id;
      return null;
    });
    if (nothingLeft !== undefined) io.out(`batch ${nothingLeft}: every ticket already finished; nothing to resume`);
    return code;
  } catch (error) {
    if (error instanceof ResumeError) throw new UsageError(error.message);
    throw error;
  }
}
