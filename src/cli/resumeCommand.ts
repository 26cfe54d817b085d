import { parseArgs } from 'node:util';
import { describeResume, ResumeError } from '../core/batch/resumePlan';
import { parseUsdAmount } from '../core/usdAmount';
import { cliSession, runWithProgress } from './batchSession';
import type { CliIo } from './cliIo';
import { cliSettings, warnWithoutSandbox } from './cliSettings';
import { parseEngine } from './selectionOptions';
import { storageFolder } from './storageFolder';
import { UsageError } from './usageError';

/**
 * `flotilla resume --storage DIR [--batch ID] [--budget-usd X] [--api-base URL] [--simulate] [--json]`:
 * continues a batch that was cut off (a crash, Ctrl-C, a budget stop), held to its stored budget
 * (`--budget-usd` lowers it, or raises it and says so). Done tickets and tickets that failed on
 * their own merits keep their branches and costs; the rest run again from the batch's original base
 * commit, in their existing worktrees, and the command says which and why.
 */
export async function resumeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      storage: { type: 'string' },
      batch: { type: 'string' },
      'api-base': { type: 'string' },
      'budget-usd': { type: 'string' },
      simulate: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      engine: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const settings = cliSettings();
  const engine = parseEngine(values.engine, settings);
  const budgetUsd = values['budget-usd'] === undefined ? undefined : parseUsdAmount(values['budget-usd']);
  if (values['budget-usd'] !== undefined && budgetUsd === undefined) throw new UsageError(`--budget-usd ${values['budget-usd']}: a positive amount in USD, written as a decimal such as 5 or 0.50`);
  const { session } = cliSession({ storage: storageFolder(values.storage), simulate: values.simulate ?? false, ...(values['api-base'] === undefined ? {} : { apiBase: values['api-base'] }), io });
  let nothingLeft: string | undefined;
  await warnWithoutSandbox(io, settings);
  try {
    const { code } = await runWithProgress(io, values.json ?? false, async (hooks) => {
      const outcome = await session.resume({ ...hooks, settings, engine, ...(values.batch === undefined ? {} : { batchId: values.batch }), ...(budgetUsd === undefined ? {} : { budgetUsd }), onNotice: (line) => io.err(line), onPlan: (plan) => describeResume(plan).forEach((line) => io.err(line)) });
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
