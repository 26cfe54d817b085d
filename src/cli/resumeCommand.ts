import { join } from 'node:path';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import type { BatchModeChoice } from '../core/batch/batchEstimate';
import { describeResume, pickResumableBatch, planResume, ResumeError } from '../core/batch/resumePlan';
import { defaultSettings } from '../core/settings/settingsSchema';
import { BatchStateStore } from '../core/store/batchStateStore';
import { formatProblem } from '../core/store/storeProblem';
import { loadTickets } from '../core/tickets/loadTickets';
import { runBatchSession } from './batchSession';
import type { CliIo } from './cliIo';
import { UsageError } from './usageError';
import { parseEngine } from './selectionOptions';

const MODES: readonly string[] = ['auto', 'orchestrated', 'direct', 'single'];

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
  const engine = parseEngine(values.engine, defaultSettings());
  const storage = values.storage ?? join(homedir(), '.flotilla');
  let plan;
  try {
    plan = planResume((await pickResumableBatch(new BatchStateStore({ storage }), values.batch, (p) => io.err(formatProblem(p)))).state);
  } catch (error) {
    if (error instanceof ResumeError) throw new UsageError(error.message);
    throw error;
  }
  const { state, info } = plan;
  if (plan.remaining.length === 0) {
    io.out(`batch ${state.id}: every ticket already finished; nothing to resume`);
    return 0;
  }
  const settings = defaultSettings();
  const set = await loadTickets(join(info.repoRoot, settings['tickets.folder']));
  const byId = new Map(set.tickets.map((t) => [t.id, t]));
  const missing = plan.remaining.filter((id) => !byId.has(id));
  if (missing.length) throw new UsageError(`batch ${state.id}: ticket file${missing.length > 1 ? 's' : ''} for ${missing.join(', ')} no longer load${missing.length > 1 ? '' : 's'} from ${info.repoRoot}`);
  describeResume(plan).forEach((line) => io.err(line));
  const mode = (MODES.includes(info.mode) ? info.mode : 'auto') as BatchModeChoice;
  const { code } = await runBatchSession({
    selection: { repo: info.repoRoot, storage, tickets: plan.remaining.map((id) => byId.get(id)!), settings, mode, tier: info.tier, budgetUsd: null, engine },
    simulate: values.simulate || info.simulated,
    apiBase: values['api-base'],
    json: values.json ?? false,
    io,
    resume: { batchId: state.id, previous: plan.previous, baseCommit: plan.baseCommit },
  });
  return code;
}
