/**
 * Runs one benchmark batch through the real engine (runBatch: routing, the break-even mode choice,
 * planning, the DAG scheduler, worker agent loops in git worktrees, gates, reviews, fix loops and
 * escalation) wired the way BatchRuntime wires it for the CLI and the extension: every model call
 * through LlmClient and the official SDK to the simulator, one shared rate limiter, the budget guard
 * before every call, and the usage ledger on disk. Clock and sleep can be injected (rate-limit bench).
 */
import { coreReviewer } from '../../src/core/batch/coreReviewer';
import type { BatchModeChoice } from '../../src/core/vocabulary/batchStates';
import type { BatchSummary } from '../../src/core/batch/batchTypes';
import { runBatch } from '../../src/core/batch/runBatch';
import { UsageTally } from '../../src/core/batch/usageTally';
import { GitClient } from '../../src/core/git/gitClient';
import { LlmClient } from '../../src/core/llm/llmClient';
import { RateLimiter } from '../../src/core/llm/rateLimiter';
import type { Sleep } from '../../src/core/llm/sleep';
import type { UsageRecord } from '../../src/core/llm/usageRecord';
import { silentLogger } from '../../src/core/logger';
import { defaultSettings, type Settings } from '../../src/core/settings/settingsSchema';
import { BudgetGuard } from '../../src/core/store/budget';
import { isReservation } from '../../src/core/llm/reservationRecord';
import { UsageLedger } from '../../src/core/store/ledgerWriter';
import { ResponseCache } from '../../src/core/store/responseCache';
import { textCacheOver } from '../../src/core/store/textCache';
import type { Ticket } from '../../src/core/tickets/ticketSchema';
import { CHECK_COMMAND } from './benchRepo';

export interface BenchBatchOptions {
  readonly batchId: string;
  readonly repo: string;
  /** Storage for this batch alone (ledger, state, worktrees, response cache). */
  readonly storage: string;
  readonly tickets: readonly Ticket[];
  readonly baseURL: string;
  readonly mode: BatchModeChoice;
  readonly tier?: string;
  readonly promptCaching?: boolean;
  readonly concurrency?: number;
  readonly batchUsd?: number;
  readonly clock?: () => number;
  readonly sleep?: Sleep;
  /** Every usage record, as it reaches the ledger. */
  readonly onRecord?: (record: UsageRecord) => void;
  /**
   * false: the budget hook holds each call's full worst case and never sizes it down — how the guard
   * behaved before calls were sized to the budget left, kept to show the difference side by side.
   */
  readonly sizeCalls?: boolean;
}

export interface BenchBatchResult {
  readonly summary: BatchSummary;
  readonly records: readonly UsageRecord[];
  readonly costUsd: number;
  /** Tickets that ended done (gates passed). */
  readonly solved: number;
}

export function benchSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), 'commands.allow': ['node'], 'gates.build': CHECK_COMMAND, ...overrides };
}

export async function runBenchBatch(options: BenchBatchOptions): Promise<BenchBatchResult> {
  const settings = benchSettings({ 'batch.concurrency': options.concurrency ?? 3, 'budget.batchUsd': options.batchUsd ?? 0 });
  const records: UsageRecord[] = [];
  const ledger = new UsageLedger({ globalStorage: options.storage, logger: silentLogger });
  const tally = new UsageTally();
  const guard = await BudgetGuard.open(options.storage, { limits: { monthlyUsd: null, batchUsd: options.batchUsd ?? null, softAlertPercent: 80 }, clock: options.clock });
  const hooks = guard.clientHooks(async (record) => {
    await ledger.append(record);
    if (isReservation(record)) return;
    tally.add(record);
    records.push(record);
    options.onRecord?.(record);
  });
  const client = new LlmClient({
    apiKey: 'sk-ant-bench',
    baseURL: options.baseURL,
    recordUsage: hooks.recordUsage,
    beforeCall: options.sizeCalls === false ? (worstCaseUsd, request) => hooks.beforeCall(worstCaseUsd, request) : hooks.beforeCall,
    limiter: new RateLimiter({ maxConcurrency: settings['batch.concurrency'] + 2, clock: options.clock, sleep: options.sleep }),
    pricing: settings['llm.pricing'],
    logger: silentLogger,
    clock: options.clock,
    sleep: options.sleep,
  });
  const git = new GitClient();
  const responses = new ResponseCache({ storage: options.storage, logger: silentLogger });
  const workspace = 'bench';
  try {
    const summary = await runBatch(
      { batchId: options.batchId, repo: options.repo, storageDir: options.storage, workspace, tickets: options.tickets, settings, mode: options.mode, tier: options.tier ?? 'auto', simulated: true, promptCaching: options.promptCaching },
      {
        git,
        client,
        tally,
        logger: silentLogger,
        reviewer: coreReviewer({ git, client, settings, storage: options.storage, workspace, batchId: options.batchId, logger: silentLogger, cache: textCacheOver(responses, 'review', 'review'), recordCached: hooks.recordUsage }),
        planCache: textCacheOver(responses, 'planning', 'plan'),
        recordCached: hooks.recordUsage,
      },
    );
    const costUsd = records.reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    return { summary, records, costUsd, solved: summary.tickets.filter((t) => t.state === 'done').length };
  } finally {
    await ledger.close();
  }
}
