import { join } from 'node:path';
import { newBatchId } from '../batch/batchIds';
import { BatchRuntime, ChangeRequestError } from '../batch/batchRuntime';
import type { BatchEvent, BatchSummary, TicketRecord } from '../batch/batchTypes';
import { describeBudgetRaise, resumeBudget, withResumeBudget } from '../batch/batchBudget';
import { openResume, planResume, ResumeError, type ResumePlan } from '../batch/resumePlan';
import type { BatchControls } from '../batch/runBatch';
import { GitClient } from '../git/gitClient';
import type { UsageRecord } from '../llm/usageRecord';
import type { Logger } from '../logger';
import type { Settings } from '../settings/settingsSchema';
import { readDecisions, readGitHub, readRecords, type GitHubExtra, type ResumeInfo } from '../store/batchExtra';
import type { StoredBatch } from '../store/batchState';
import { assertDecisionAllowed } from './decisionRules';
import { describeTakeover, type BatchLock } from '../store/batchLock';
import type { SoftAlert } from '../store/budget';
import { BatchStateStore } from '../store/batchStateStore';
import { formatProblem } from '../store/storeProblem';
import { loadTickets } from '../tickets/loadTickets';
import { issueTicketSnapshot, ticketFromSnapshot } from '../tickets/github/issueTicket';
import { repositorySlug, type GitHubTarget } from '../tickets/github/githubRepository';
import type { Ticket } from '../tickets/ticketSchema';
import type { TicketWorkerRequest, TicketWorkerResult } from '../worker/runTicketWorker';
import type { WorkerEngineChoice } from '../worker/workerEngine';
import { BATCH_MODE_CHOICES, type BatchModeChoice } from '../vocabulary/batchStates';
import { checkTicketModels, settingsForBatch, type BatchSelection } from './batchSelection';
import { checkBudgetCoversFirstCall } from './budgetPrecheck';
import { checkGatesCanRun } from './sandboxNotice';
import type { ModelEndpoint } from './endpoint';

/** What a front end gives the session: where things are stored, where model calls go, and its hooks. */
export interface SessionDeps {
  /** Workspace storage: batches, worktrees, cache. */
  readonly storage: string;
  /** Global storage: the usage ledger (the CLI uses one folder for both). */
  readonly globalStorage: string;
  readonly logger: Logger;
  /** Where this run's model calls go (the simulator or the API with the user's key); closed after the run. */
  readonly endpoint: (settings: Settings, simulated: boolean | undefined) => Promise<ModelEndpoint>;
  readonly onRecord?: (record: UsageRecord) => void;
  readonly onSoftAlert?: (alert: SoftAlert) => void;
  /** Runs one worker (the editor wraps each in a VS Code task); absent: in-process. */
  readonly runWorker?: (batchId: string, request: TicketWorkerRequest) => Promise<TicketWorkerResult>;
}

export interface RunHooks {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
  /** The running batch's controls (cancel one ticket) once its scheduler exists. */
  readonly onControls?: (controls: BatchControls) => void;
  /** The batch id, before anything runs (a front end shows or tracks it). */
  readonly onStart?: (batchId: string) => void;
}

export interface ResumeOptions extends RunHooks {
  readonly batchId?: string;
  readonly settings: Settings;
  /** Overrides the engine the batch started with (`--engine`). */
  readonly engine?: WorkerEngineChoice;
  /** What the resume keeps and reruns, before it starts (the CLI prints it). */
  readonly onPlan?: (plan: ResumePlan) => void;
  /** One-line notices for the user, e.g. that the lock of a process that is gone was taken over. */
  readonly onNotice?: (line: string) => void;
  /**
   * Replaces the batch's stored budget (`resume --budget-usd`); absent: the stored one holds. A higher
   * one is announced through onNotice, never applied silently.
   */
  readonly budgetUsd?: number;
}

export type ResumeOutcome = { readonly kind: 'nothingLeft'; readonly plan: ResumePlan } | { readonly kind: 'ran'; readonly plan: ResumePlan; readonly summary: BatchSummary };

/**
 * The one session API both front ends call (ARCHITECTURE.md, src/core/session): start a batch,
 * resume one, request changes on a finished ticket. Each call checks its input before anything is
 * written or spent (unknown models, a budget too small for one call), opens the endpoint, runs on a
 * BatchRuntime (ledger, budget guard, recorded state) and closes both on every path. The decisions
 * on a finished ticket are TicketDecisions (ticketDecisions.ts).
 */
export class FlotillaSession {
  readonly git = new GitClient();

  constructor(private readonly deps: SessionDeps) {}

  get storage(): string {
    return this.deps.storage;
  }

  /** Runs a new batch to its end; rejects only for set-up problems (a key, the repository, storage). */
  async run(selection: BatchSelection, hooks: RunHooks = {}, batchId = newBatchId(new Date())): Promise<BatchSummary> {
    checkTicketModels(selection.tickets, selection.settings);
    await checkGatesCanRun(selection.settings);
    // Before any storage is touched: a budget that cannot pay for one call is a budget stop, not a run.
    await checkBudgetCoversFirstCall(selection, this.git);
    return this.runBatch(batchId, selection, undefined, hooks);
  }

  /**
   * Continues a batch that was cut off (a crash, Ctrl-C, a budget stop): done tickets and tickets that
   * failed on their own merits are kept, the rest run again from the batch's base commit.
   */
  async resume(options: ResumeOptions): Promise<ResumeOutcome> {
    // The batch's lock is taken before planning, so a second resume of it refuses instead of paying twice.
    const { plan, lock } = await openResume({
      storage: this.deps.storage,
      ...(options.batchId === undefined ? {} : { batchId: options.batchId }),
      logger: this.deps.logger,
      report: (problem) => this.deps.logger.warn(formatProblem(problem)),
    });
    try {
      const takeover = describeTakeover(lock);
      if (takeover) this.notice(options, takeover);
      return await this.resumePlanned(plan, lock, options);
    } finally {
      await lock.release();
    }
  }

  private notice(options: Pick<ResumeOptions, 'onNotice'>, line: string): void {
    (options.onNotice ?? ((text: string) => this.deps.logger.info(text)))(line);
  }

  private async resumePlanned(plan: ResumePlan, lock: BatchLock, options: ResumeOptions): Promise<ResumeOutcome> {
    if (plan.remaining.length === 0) return { kind: 'nothingLeft', plan };
    await checkGatesCanRun(options.settings);
    const tickets = await this.ticketsOf(plan.state, plan.info, plan.remaining, options.settings, `batch ${plan.state.id}`);
    options.onPlan?.(plan);
    // The batch's budget holds on resume and counts what it spent before (issue 11 item 5).
    const budget = resumeBudget(plan.budget, options.budgetUsd);
    const raised = describeBudgetRaise(plan.state.id, budget);
    if (raised) this.notice(options, raised);
    const selection: BatchSelection = {
      repo: plan.info.repoRoot,
      tickets,
      settings: withResumeBudget(options.settings, budget),
      mode: modeOf(plan.info.mode),
      tier: plan.info.tier,
      picks: plan.info.picks,
      budgetUsd: budget.batchUsd,
      engine: options.engine ?? options.settings['worker.engine'],
    };
    const summary = await this.runBatch(plan.state.id, selection, { previous: plan.previous, baseCommit: plan.baseCommit, simulated: plan.info.simulated, lock }, options);
    return { kind: 'ran', plan, summary };
  }

  /**
   * Request Changes on a finished ticket: a fix loop with the reviewer's words in its worktree,
   * gated and reviewed again, metered like any batch (its costs count towards the same batch).
   */
  async requestChanges(batchId: string, ticketId: string, feedback: string, settings: Settings, hooks: RunHooks = {}): Promise<TicketRecord> {
    if (feedback.trim() === '') throw new ChangeRequestError('say what should change: the feedback is empty');
    await checkGatesCanRun(settings);
    const loaded = await new BatchStateStore({ storage: this.deps.storage, logger: this.deps.logger }).load(batchId);
    const record = loaded ? readRecords(loaded.state).records.get(ticketId) : undefined;
    if (!loaded || !record) throw new ChangeRequestError(`batch ${batchId} has no record of ticket ${ticketId}`);
    assertDecisionAllowed({ ticketId, batchId, decision: readDecisions(loaded.state)[ticketId] }, 'requestChanges');
    const { info } = planResume(loaded.state);
    const [ticket] = await this.ticketsOf(loaded.state, info, [ticketId], settings, `ticket ${ticketId}`);
    hooks.onStart?.(batchId);
    const endpoint = await this.deps.endpoint(settings, info.simulated);
    try {
      const runtime = await this.openRuntime(batchId, settings, endpoint, settings['worker.engine'], true);
      try {
        return await runtime.runChangeRequest({
          ticket: ticket!,
          record,
          repoRoot: info.repoRoot,
          workspace: info.workspace,
          feedback,
          signal: hooks.signal,
          onEvent: hooks.onEvent,
          runWorker: this.workerFor(batchId),
        });
      } finally {
        await runtime.close();
      }
    } finally {
      await endpoint.close();
    }
  }

  private async runBatch(batchId: string, selection: BatchSelection, resume: { previous: readonly TicketRecord[]; baseCommit: string; simulated: boolean; lock: BatchLock } | undefined, hooks: RunHooks): Promise<BatchSummary> {
    const settings = settingsForBatch(selection);
    const endpoint = await this.deps.endpoint(settings, resume?.simulated);
    try {
      const runtime = await this.openRuntime(batchId, settings, endpoint, selection.engine, resume !== undefined);
      hooks.onStart?.(batchId);
      const info: ResumeInfo = { repoRoot: selection.repo, workspace: selection.repo, mode: selection.mode, tier: selection.tier, simulated: endpoint.simulated, picks: selection.picks ?? {} };
      try {
        return await runtime.runRecorded(
          {
            repo: selection.repo,
            workspace: selection.repo,
            tickets: selection.tickets,
            settings,
            mode: selection.mode,
            tier: selection.tier,
            picks: selection.picks,
            decisions: selection.decisions,
            simulated: endpoint.simulated,
            signal: hooks.signal,
            onControls: hooks.onControls,
            onEvent: hooks.onEvent,
          },
          { info, ...(selection.github ? { github: githubExtra(selection.github, selection.tickets) } : {}), resume: resume && { previous: resume.previous, baseCommit: resume.baseCommit, lock: resume.lock }, runWorker: this.workerFor(batchId) },
        );
      } finally {
        await runtime.close();
      }
    } finally {
      await endpoint.close();
    }
  }

  private openRuntime(batchId: string, settings: Settings, endpoint: ModelEndpoint, engine: WorkerEngineChoice, countEarlierRecords: boolean): Promise<BatchRuntime> {
    return BatchRuntime.open({
      batchId,
      storage: this.deps.storage,
      globalStorage: this.deps.globalStorage,
      settings,
      endpoint: { apiKey: endpoint.apiKey, ...(endpoint.baseURL === undefined ? {} : { baseURL: endpoint.baseURL }), simulated: endpoint.simulated },
      logger: this.deps.logger,
      countEarlierRecords,
      engine,
      simulated: endpoint.simulated,
      ...(this.deps.onRecord ? { onRecord: this.deps.onRecord } : {}),
      ...(this.deps.onSoftAlert ? { onSoftAlert: this.deps.onSoftAlert } : {}),
    });
  }

  private workerFor(batchId: string): ((request: TicketWorkerRequest) => Promise<TicketWorkerResult>) | undefined {
    const run = this.deps.runWorker;
    return run && ((request) => run(batchId, request));
  }

  /**
   * The tickets a stored batch names: its GitHub issues as the batch ran them (state.json keeps them,
   * so no token or network is needed), its ticket files loaded afresh from its repository. Missing ones
   * are a ResumeError.
   */
  private async ticketsOf(state: StoredBatch, info: ResumeInfo, ids: readonly string[], settings: Settings, what: string): Promise<Ticket[]> {
    const issues = readGitHub(state)?.tickets ?? new Map();
    const fromFiles = ids.some((id) => !issues.has(id)) ? (await loadTickets(join(info.repoRoot, settings['tickets.folder']))).tickets : [];
    const byId = new Map<string, Ticket>([...fromFiles.map((t) => [t.id, t] as const), ...[...issues.values()].map((s) => [s.id, ticketFromSnapshot(s)] as const)]);
    const missing = ids.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new ResumeError(`${what}: the ticket file${missing.length > 1 ? 's' : ''} of ${missing.join(', ')} no longer load${missing.length > 1 ? '' : 's'} from ${info.repoRoot}`);
    return ids.map((id) => byId.get(id)!);
  }
}

/** What a batch of GitHub issues records: where they came from (never the token) and each issue ticket as it runs. */
function githubExtra(target: GitHubTarget, tickets: readonly Ticket[]): GitHubExtra {
  const snapshots = tickets.flatMap((t) => {
    const snapshot = issueTicketSnapshot(t);
    return snapshot ? [[t.id, snapshot] as const] : [];
  });
  return { repository: repositorySlug(target.repository), apiUrl: target.apiUrl, tickets: Object.fromEntries(snapshots) };
}

function modeOf(stored: string): BatchModeChoice {
  return BATCH_MODE_CHOICES.find((m) => m === stored) ?? 'auto';
}
