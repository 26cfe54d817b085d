import { join } from 'node:path';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { TicketRecord } from '../core/batch/batchTypes';
import type { BatchModeChoice } from '../core/batch/batchEstimate';
import { defaultSettings } from '../core/settings/settingsSchema';
import { BatchStateStore, type LoadedBatch } from '../core/store/batchStateStore';
import { formatProblem } from '../core/store/storeProblem';
import { loadTickets } from '../core/tickets/loadTickets';
import { runBatchSession } from './batchSession';
import type { CliIo } from './cliIo';
import { UsageError } from './usageError';

const resumeInfoSchema = z.object({ repoRoot: z.string(), mode: z.string(), tier: z.string(), simulated: z.boolean() });
const MODES: readonly string[] = ['auto', 'orchestrated', 'direct', 'single'];

/**
 * `flotilla resume --storage DIR [--batch ID] [--api-base URL] [--simulate] [--json]`: continues an
 * interrupted batch. Finished tickets keep their branches and costs; the rest run again from the
 * batch's original base commit, in their existing worktrees.
 */
export async function resumeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { storage: { type: 'string' }, batch: { type: 'string' }, 'api-base': { type: 'string' }, simulate: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  const storage = values.storage ?? join(homedir(), '.flotilla');
  const store = new BatchStateStore({ storage });
  const loaded = await pickBatch(store, values.batch, io);
  const { state } = loaded;
  const info = resumeInfoSchema.safeParse((state.extra as { resume?: unknown }).resume);
  if (!info.success) throw new UsageError(`batch ${state.id} has no resume information (it was not started by this version of Flotilla)`);
  if (!state.baseCommit) throw new UsageError(`batch ${state.id} stopped before it recorded its base commit; start it again with flotilla run`);

  const records = (state.extra as { records?: Record<string, TicketRecord> }).records ?? {};
  const finished = state.ticketIds.filter((id) => ['done', 'failed', 'cancelled'].includes(state.tickets[id]?.status ?? ''));
  const remaining = state.ticketIds.filter((id) => !finished.includes(id));
  if (remaining.length === 0) {
    io.out(`batch ${state.id}: every ticket already finished; nothing to resume`);
    return 0;
  }
  const settings = defaultSettings();
  const set = await loadTickets(join(info.data.repoRoot, settings['tickets.folder']));
  const byId = new Map(set.tickets.map((t) => [t.id, t]));
  const missing = remaining.filter((id) => !byId.has(id));
  if (missing.length) throw new UsageError(`batch ${state.id}: ticket file${missing.length > 1 ? 's' : ''} for ${missing.join(', ')} no longer load${missing.length > 1 ? '' : 's'} from ${info.data.repoRoot}`);
  io.err(`resuming batch ${state.id}: ${finished.length} finished ticket(s) kept (${finished.join(', ') || 'none'}), running ${remaining.join(', ')}`);
  const previous = finished.flatMap((id) => (records[id] ? [records[id]] : []));
  const mode = (MODES.includes(info.data.mode) ? info.data.mode : 'auto') as BatchModeChoice;
  const { code } = await runBatchSession({
    selection: { repo: info.data.repoRoot, storage, tickets: remaining.map((id) => byId.get(id)!), settings, mode, tier: info.data.tier, budgetUsd: null },
    simulate: values.simulate || info.data.simulated,
    apiBase: values['api-base'],
    json: values.json ?? false,
    io,
    resume: { batchId: state.id, previous, baseCommit: state.baseCommit },
  });
  return code;
}

async function pickBatch(store: BatchStateStore, id: string | undefined, io: CliIo): Promise<LoadedBatch> {
  if (id !== undefined) {
    const loaded = await store.load(id);
    if (!loaded) throw new UsageError(`no batch ${id} in this storage folder`);
    if (loaded.state.status === 'running' && !loaded.interrupted) throw new UsageError(`batch ${id} is still running (pid ${loaded.state.owner?.pid ?? '?'}); stop it first`);
    return loaded;
  }
  const list = await store.list();
  for (const problem of list.problems) io.err(formatProblem(problem));
  const candidate = list.batches.find((b) => b.interrupted || b.state.status === 'interrupted');
  if (!candidate) throw new UsageError('no interrupted batch to resume in this storage folder (name one with --batch ID)');
  return candidate;
}
