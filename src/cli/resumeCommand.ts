import { join } from 'node:path';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import type { BatchModeChoice } from '../core/batch/batchEstimate';
import { describeResume, openResume, ResumeError, type ResumePlan } from '../core/batch/resumePlan';
import { describeTakeover, type BatchLock } from '../core/store/batchLock';
import { defaultSettings } from '../core/settings/settingsSchema';
import { formatProblem } from '../core/store/storeProblem';
import { loadTickets } from '../core/tickets/loadTickets';
import { runBatchSession } from './batchSession';
import type { CliIo } from './cliIo';
import { UsageError } from './usageError';
import { parseEngine } from './selectionOptions';
import type { WorkerEngineChoice } from '../core/worker/workerEngine';

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
  let opened;
  try {
    opened = await openResume({ storage, batchId: values.batch, report: (p) => io.err(formatProblem(p)) });
  } catch (error) {
    if (error instanceof ResumeError) throw new UsageError(error.message);
    throw error;
  }
  const { plan, lock } = opened;
  try {
    const takeover = describeTakeover(lock);
    if (takeover) io.err(takeover);
    return await runPlan(plan, lock, { storage, engine, simulate: values.simulate ?? false, apiBase: values['api-base'], json: values.json ?? false }, io);
  } finally {
    await lock.release();
  }
}

async function runPlan(plan: ResumePlan, lock: BatchLock, flags: { storage: string; engine: WorkerEngineChoice; simulate: boolean; apiBase: string | undefined; json: boolean }, io: CliIo): Promise<number> {
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
    selection: { repo: info.repoRoot, storage: flags.storage, tickets: plan.remaining.map((id) => byId.get(id)!), settings, mode, tier: info.tier, budgetUsd: null, engine: flags.engine },
    simulate: flags.simulate || info.simulated,
    apiBase: flags.apiBase,
    json: flags.json,
    io,
    resume: { batchId: state.id, previous: plan.previous, baseCommit: plan.baseCommit, lock },
  });
  return code;
}
