import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { TIERS } from '../core/llm/usageRecord';
import type { Settings } from '../core/settings/settingsSchema';
import { formatProblem } from '../core/tickets/ticketProblem';
import type { Ticket } from '../core/tickets/ticketSchema';
import { BATCH_MODE_CHOICES, type BatchModeChoice } from '../core/vocabulary/batchStates';
import { checkTicketModels, type BatchSelection } from '../core/session/batchSelection';
import { cliSettings } from './cliSettings';
import { stderrLogger } from './stderrLogger';
import { storageFolder } from './storageFolder';
import { loadCliTickets, SOURCE_FLAGS, type SourceValues } from './ticketSourceOptions';
import { UsageError } from './usageError';
import { parseUsdAmount } from '../core/usdAmount';
import { WORKER_ENGINE_CHOICES, type WorkerEngineChoice } from '../core/worker/workerEngine';

/** `--engine auto|claude-code|builtin` (run, resume, demo); absent: the setting's value. */
export function parseEngine(flag: string | undefined, settings: Settings): WorkerEngineChoice {
  if (flag === undefined) return settings['worker.engine'];
  const choice = WORKER_ENGINE_CHOICES.find((c) => c === flag);
  if (!choice) throw new UsageError(`--engine ${flag}: use one of ${WORKER_ENGINE_CHOICES.join(', ')}`);
  return choice;
}

/** The flags `run` and `plan` share (CLI contract in ARCHITECTURE.md). */
export const SELECTION_FLAGS = {
  repo: { type: 'string' },
  tickets: { type: 'string' },
  all: { type: 'boolean', default: false },
  concurrency: { type: 'string' },
  tier: { type: 'string', default: 'auto' },
  mode: { type: 'string', default: 'auto' },
  'budget-usd': { type: 'string' },
  storage: { type: 'string' },
  'api-base': { type: 'string' },
  simulate: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  engine: { type: 'string' },
  ...SOURCE_FLAGS,
} as const satisfies ParseArgsConfig['options'];

export interface SelectionValues extends SourceValues {
  repo?: string;
  tickets?: string;
  all?: boolean;
  concurrency?: string;
  tier?: string;
  mode?: string;
  'budget-usd'?: string;
  storage?: string;
  'api-base'?: string;
  simulate?: boolean;
  json?: boolean;
  engine?: string;
}

/** The batch the flags select, and the storage folder they name. */
export interface CliSelection {
  readonly selection: BatchSelection;
  readonly storage: string;
}

/** Checks every flag and the ticket files before anything runs: bad input is exit 2 with one line. */
export async function resolveSelection(values: SelectionValues, warn: (line: string) => void): Promise<CliSelection> {
  if (!values.repo) throw new UsageError('--repo DIR is required (the git repository whose tickets to run)');
  const repo = resolve(values.repo);
  if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new UsageError(`--repo ${values.repo}: no such folder`);
  const mode = values.mode ?? 'auto';
  if (!(BATCH_MODE_CHOICES as readonly string[]).includes(mode)) throw new UsageError(`--mode ${mode}: use one of ${BATCH_MODE_CHOICES.join(', ')}`);
  const tier = values.tier ?? 'auto';
  if (tier !== 'auto' && !(TIERS as readonly string[]).includes(tier)) throw new UsageError(`--tier ${tier}: use auto, ${TIERS.join(', ')}`);
  const settings = cliSettings();
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new UsageError(`--concurrency ${values.concurrency}: a whole number from 1 to 16`);
    settings['batch.concurrency'] = n;
  }
  let budgetUsd: number | null = null;
  if (values['budget-usd'] !== undefined) {
    budgetUsd = parseUsdAmount(values['budget-usd']) ?? null;
    if (budgetUsd === null) throw new UsageError(`--budget-usd ${values['budget-usd']}: a positive amount in USD, written as a decimal such as 5 or 0.50`);
    settings['budget.batchUsd'] = budgetUsd;
  }

  const storage = storageFolder(values.storage);
  const { set, source, github } = await loadCliTickets(values, repo, settings, storage, stderrLogger(warn));
  if (set.folderProblem) throw new UsageError(`${set.folderProblem.file}: ${set.folderProblem.message}`);
  if (source === 'files' && !set.folderExists) throw new UsageError(`no tickets folder at ${join(repo, settings['tickets.folder'])} (create it, or check --repo)`);
  for (const problem of set.problems) warn(formatProblem(problem));
  const byId = new Map(set.tickets.map((t) => [t.id, t]));
  let tickets: Ticket[];
  if (values.all) {
    if (values.tickets) throw new UsageError('use either --tickets or --all, not both');
    tickets = [...set.tickets];
  } else {
    if (!values.tickets) throw new UsageError('choose tickets with --tickets ID,ID or --all');
    const ids = values.tickets.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) throw new UsageError(`unknown ticket id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (valid: ${[...byId.keys()].join(', ') || 'none'})`);
    tickets = ids.map((id) => byId.get(id) as Ticket);
  }
  if (tickets.length === 0) throw new UsageError('no valid tickets to run');
  const selected = new Set(tickets.map((t) => t.id));
  const cycle = set.cycles.find((c) => c.some((id) => selected.has(id)));
  if (cycle) throw new UsageError(`dependency cycle: ${cycle.join(' → ')}`);
  checkTicketModels(tickets, settings);
  const onGitHub = github !== undefined && tickets.some((t) => t.issue !== undefined);
  return { selection: { repo, tickets, settings, mode: mode as BatchModeChoice, tier, budgetUsd, engine: parseEngine(values.engine, settings), ...(onGitHub ? { github } : {}) }, storage };
}
