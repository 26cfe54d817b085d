import * as vscode from 'vscode';
import type { BatchEstimate } from '../core/batch/batchEstimate';
import { newBatchId } from '../core/batch/batchIds';
import type { BatchEvent, BatchSummary, TicketRecord } from '../core/batch/batchTypes';
import { describeResume, resumableBatches } from '../core/batch/resumePlan';
import { estimateSelection, routeSelection, type BatchControls } from '../core/batch/runBatch';
import { typicalBatchCost, type TypicalCost } from '../core/batch/typicalCost';
import { apiKeyProblem, UnusableApiKeyError } from '../core/llm/apiKeyShape';
import { LlmClient } from '../core/llm/llmClient';
import type { TierModels } from '../core/llm/tiers';
import { listModels, type ModelInfo } from '../core/llm/models';
import type { UsageRecord } from '../core/llm/usageRecord';
import type { RouteDecision } from '../core/routing/routeTicket';
import { ApiKeyMissingError, openEndpoint, type ModelEndpoint } from '../core/session/endpoint';
import { FlotillaSession } from '../core/session/flotillaSession';
import { sandboxState, type SandboxState } from '../core/session/sandboxNotice';
import type { Settings } from '../core/settings/settingsSchema';
import { BatchStateStore, type LoadedBatch } from '../core/store/batchStateStore';
import { formatProblem } from '../core/store/storeProblem';
import { monthSpend } from '../core/store/ledgerReader';
import { readMetrics } from '../core/store/rebuildMetrics';
import { monthOf } from '../core/store/storagePaths';
import type { Ticket } from '../core/tickets/ticketSchema';
import type { TicketWorkerRequest, TicketWorkerResult } from '../core/worker/runTicketWorker';
import { previewWorkerEngine, runSelectedWorker } from '../core/worker/workerEngine';
import type { BatchActivity } from './flotillaContext';
import { log } from './log';
import type { BudgetView, TicketRunView } from '../core/session/runStateText';
import type { WorkerTasks } from './workerTask';
import { formatUsd } from '../core/vocabulary/amounts';
import { formatUsdLimit } from '../core/usdAmount';

/** One batch at a time per window: workers share the tree, the progress and the rate limiter. */
export class BatchAlreadyRunningError extends Error {
  constructor(readonly batchId: string) {
    super(`Batch ${batchId} is still running. Cancel it or wait for it to finish.`);
    this.name = 'BatchAlreadyRunningError';
  }
}

/** Batches live in workspace storage, which VS Code only gives a window with a folder open. */
export class NoWorkspaceStorageError extends Error {
  constructor() {
    super('Open a folder to run a batch: batches are stored with the workspace.');
    this.name = 'NoWorkspaceStorageError';
  }
}

export interface BatchEngineDeps {
  readonly storageDir: string | undefined;
  readonly globalStorageDir: string;
  readonly apiKey: () => Thenable<string | undefined>;
  readonly workerTasks: Pick<WorkerTasks, 'run' | 'follow'>;
  readonly settings: () => Settings;
  readonly fireUsage: (record: UsageRecord) => void;
  readonly fireBatchActivity: (activity: BatchActivity) => void;
}

export interface BatchRunOptions {
  readonly tickets: readonly Ticket[];
  /** The workspace folder: a folder inside the git repository the tickets change. */
  readonly repo: string;
  readonly picks: Readonly<Record<string, string>>;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Cancels the whole batch (the progress notification's Cancel). */
  readonly token?: vscode.CancellationToken;
  /** The routing shown in the confirmation, so the run is what the user agreed to. */
  readonly decisions?: ReadonlyMap<string, RouteDecision>;
}

export interface BatchPlanView {
  readonly decisions: ReadonlyMap<string, RouteDecision>;
  readonly estimate: BatchEstimate;
  readonly typical: TypicalCost;
  readonly budget: BudgetView;
  readonly simulated: boolean;
  /** The worker engine the batch would run on, and why. */
  readonly engine: { readonly name: string; readonly reason: string };
  /** Whether gates and allowed commands will run in the sandbox on this machine. */
  readonly sandbox: SandboxState;
  /** Each tier's model id, so the confirmation names the model a ticket starts on. */
  readonly tierModels: TierModels;
}

interface RunningBatch {
  /** Known once the session has opened the batch (a resume without an id picks one). */
  batchId: string;
  readonly controller: AbortController;
  controls: BatchControls | undefined;
  /** Set while a Request Changes runs: its terminals are labelled with the reviewer's words. */
  readonly changeRequest?: { readonly ticketId: string; readonly feedback: string };
}

/**
 * The engine host of one window: wires ledger, budget guard, usage tally, batch state, recorder,
 * reviewer and model access the way src/cli/batchSession.ts does, but with VS Code storage, the
 * SecretStorage key, settings and the context's events. Workers run as VS Code tasks.
 */
export class BatchEngine implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a ticket's run state changes (the tree re-renders). */
  readonly onDidChange = this.changed.event;
  private readonly emitted = new vscode.EventEmitter<BatchEvent>();
  /** Every event of this window's batches and change requests, as it happens (the batch panel folds them). */
  readonly onDidEmit = this.emitted.event;
  /** Each ticket's latest record in this window, with the batch it ran in. */
  private readonly records = new Map<string, { readonly record: TicketRecord; readonly batchId: string }>();
  /** Cost per ticket from the usage records as they land, so a running ticket shows "$ so far". */
  private readonly liveCost = new Map<string, number | null>();
  private running: RunningBatch | undefined;
  private simulatorLatencyMs = 0;
  private lastSimulated = false;

  constructor(private readonly deps: BatchEngineDeps) {}

  /** The latest run state of a ticket in this window (current or last batch). */
  runOf(ticketId: string): TicketRunView | undefined {
    const latest = this.records.get(ticketId);
    if (!latest) return undefined;
    const live = this.liveCost.get(ticketId);
    return { ...latest.record, batchId: latest.batchId, ...(live === undefined ? {} : { costUsd: live }) };
  }

  get activeBatchId(): string | undefined {
    return this.running?.batchId;
  }

  /** Whether the last batch started ran against the simulated model (the UI labels it). */
  get simulated(): boolean {
    return this.lastSimulated;
  }

  /** Routing and the estimate against the budget, without running anything (Plan Batch, the confirmation). */
  async plan(tickets: readonly Ticket[], picks: Readonly<Record<string, string>>): Promise<BatchPlanView> {
    const settings = this.deps.settings();
    // Routed on what this repository learned, like the run: the run then uses these very decisions.
    const metrics = this.deps.storageDir ? await readMetrics(this.deps.storageDir).catch(() => null) : null;
    const outcomes = metrics && metrics.outcomes.length > 0 ? metrics.outcomes : undefined;
    const decisions = routeSelection(tickets, { mode: 'auto', tier: 'auto', picks, settings, outcomes });
    const estimate = estimateSelection(decisions, { mode: 'auto', settings });
    const typical = typicalBatchCost({ decisions: [...decisions.values()], tierModels: settings['llm.tiers'], pricing: settings['llm.pricing'], history: metrics?.byModelClass, minSamples: settings['routing.minSamples'] });
    const monthly = settings['budget.monthlyUsd'];
    const spent = monthly > 0 ? (await monthSpend(this.deps.globalStorageDir, monthOf(Date.now()))).spentUsd : 0;
    const batch = settings['budget.batchUsd'];
    return {
      decisions,
      estimate,
      typical,
      budget: { batchUsd: batch > 0 ? batch : null, monthlyUsd: monthly > 0 ? monthly : null, monthSpentUsd: spent },
      simulated: settings.provider === 'simulated',
      tierModels: settings['llm.tiers'],
      engine: await previewWorkerEngine(settings['worker.engine'], settings, settings.provider === 'simulated'),
      sandbox: await sandboxState(settings),
    };
  }

  /** Runs one batch to its end; rejects only for set-up problems (no key, not a git repository …). */
  async run(options: BatchRunOptions): Promise<BatchSummary> {
    if (this.running) throw new BatchAlreadyRunningError(this.running.batchId);
    const storage = this.deps.storageDir;
    if (!storage) throw new NoWorkspaceStorageError();
    const batchId = newBatchId(new Date());
    const controller = new AbortController();
    const running: RunningBatch = { batchId, controller, controls: undefined };
    this.running = running;
    const cancel = options.token?.onCancellationRequested(() => controller.abort());
    this.deps.fireBatchActivity({ running: true, batchId });
    try {
      return await this.runBatch(storage, options, running);
    } finally {
      cancel?.dispose();
      this.running = undefined;
      this.deps.fireBatchActivity({ running: false, batchId });
    }
  }

  /**
   * Request Changes from the review: a fix loop on a finished ticket with the reviewer's words, in its
   * worktree, reviewed again. Runs like a one-ticket batch (progress, task, costs in the ledger).
   */
  async requestChanges(batchId: string, ticketId: string, feedback: string): Promise<TicketRecord> {
    if (this.running) throw new BatchAlreadyRunningError(this.running.batchId);
    const session = this.session();
    const controller = new AbortController();
    this.running = { batchId, controller, controls: undefined, changeRequest: { ticketId, feedback } };
    this.deps.fireBatchActivity({ running: true, batchId });
    try {
      return await session.requestChanges(batchId, ticketId, feedback, this.deps.settings(), { signal: controller.signal, onEvent: (event) => this.track(event) });
    } finally {
      this.running = undefined;
      this.deps.fireBatchActivity({ running: false, batchId });
    }
  }

  /** Batches of this workspace with tickets left to run (a crash, a closed window, Cancel, a budget stop). */
  async interruptedBatches(): Promise<LoadedBatch[]> {
    const storage = this.deps.storageDir;
    if (!storage) return [];
    return resumableBatches(new BatchStateStore({ storage, logger: log }), (problem) => log.warn(formatProblem(problem)));
  }

  /** Resume Batch: finished tickets kept, the rest run again from the batch's base commit; null when nothing was left. */
  async resume(batchId: string | undefined, options: Pick<BatchRunOptions, 'onEvent' | 'token'> = {}): Promise<BatchSummary | null> {
    const storage = this.requireStorage();
    if (this.running) throw new BatchAlreadyRunningError(this.running.batchId);
    const controller = new AbortController();
    const running: RunningBatch = { batchId: batchId ?? 'resuming', controller, controls: undefined };
    this.running = running;
    const cancel = options.token?.onCancellationRequested(() => controller.abort());
    try {
      const outcome = await this.session(storage).resume({
        ...(batchId === undefined ? {} : { batchId }),
        settings: this.deps.settings(),
        signal: controller.signal,
        onControls: (controls) => (running.controls = controls),
        onStart: (id) => this.started(running, id, false),
        onPlan: (plan) => {
          for (const record of plan.previous) this.records.set(record.id, { record, batchId: plan.state.id });
          for (const id of plan.remaining) this.forget(id);
          describeResume(plan).forEach((line) => log.info(line));
        },
        onEvent: (event) => {
          this.track(event);
          options.onEvent?.(event);
        },
      });
      return outcome.kind === 'ran' ? outcome.summary : null;
    } finally {
      cancel?.dispose();
      this.running = undefined;
      this.deps.fireBatchActivity({ running: false, batchId: running.batchId });
    }
  }

  cancelTicket(ticketId: string): boolean {
    return this.running?.controls?.cancelTicket(ticketId) ?? false;
  }

  cancelAll(): void {
    this.running?.controller.abort();
  }

  /**
   * Throws ApiKeyMissingError (or UnusableApiKeyError for a stored key that cannot be one) before
   * anything is shown or started when the provider cannot be reached without a key.
   */
  async ensureAccess(): Promise<void> {
    const settings = this.deps.settings();
    if (settings.provider === 'simulated') return;
    const key = await this.deps.apiKey();
    if (!key) throw new ApiKeyMissingError();
    const problem = apiKeyProblem(key);
    if (problem !== undefined) throw new UnusableApiKeyError(problem);
  }

  /** Model ids the configured provider offers (GET /v1/models), for List Models. */
  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const endpoint = await this.endpoint(this.deps.settings(), undefined);
    try {
      const client = new LlmClient({ apiKey: endpoint.apiKey, baseURL: endpoint.baseURL, recordUsage: () => undefined, logger: log });
      return await listModels(client.anthropic, signal);
    } finally {
      await endpoint.close();
    }
  }

  /**
   * Test hook (reached only through the extension API the integration suites use, never a setting):
   * every simulated response waits this long, so a test can cancel a ticket while it runs.
   */
  setSimulatedLatency(ms: number): Promise<void> {
    if (this.running) throw new BatchAlreadyRunningError(this.running.batchId);
    this.simulatorLatencyMs = ms;
    return Promise.resolve();
  }

  dispose(): void {
    this.running?.controller.abort();
    this.changed.dispose();
    this.emitted.dispose();
  }

  private async runBatch(storage: string, options: BatchRunOptions, running: RunningBatch): Promise<BatchSummary> {
    for (const t of options.tickets) this.forget(t.id);
    this.changed.fire();
    const settings = this.deps.settings();
    const summary = await this.session(storage).run(
      { repo: options.repo, tickets: options.tickets, settings, mode: 'auto', tier: 'auto', picks: options.picks, decisions: options.decisions, budgetUsd: null, engine: settings['worker.engine'] },
      {
        signal: running.controller.signal,
        onStart: (id) => this.started(running, id, true),
        onControls: (controls) => (running.controls = controls),
        onEvent: (event) => {
          this.track(event);
          options.onEvent?.(event);
        },
      },
      running.batchId,
    );
    log.info(`batch ${summary.batchId} ${summary.state}${summary.simulated ? ' (simulated)' : ''}: ${summary.tickets.map((t) => `${t.id} ${t.state}`).join(', ')}`);
    return summary;
  }

  /** The core session with this window's storage, key, settings and hooks; workers run as VS Code tasks. */
  private session(storage = this.requireStorage()): FlotillaSession {
    return new FlotillaSession({
      storage,
      globalStorage: this.deps.globalStorageDir,
      logger: log,
      endpoint: (settings, storedSimulated) => this.endpoint(settings, storedSimulated),
      runWorker: (batchId, request) => this.runWorkerTask(batchId, request),
      onRecord: (record) => {
        this.addLiveCost(record);
        this.deps.fireUsage(record);
      },
      onSoftAlert: (alert) => {
        const text = `Flotilla: ${alert.percent}% of the ${alert.limit} budget used (${formatUsd(alert.spentUsd)} of ${formatUsdLimit(alert.limitUsd)}).`;
        log.warn(text);
        void vscode.window.showWarningMessage(text);
      },
    });
  }

  /** Where model calls go: the simulator (provider "simulated", or a batch that ran simulated) or the API with the stored key. */
  private async endpoint(settings: Settings, storedSimulated: boolean | undefined): Promise<ModelEndpoint> {
    const simulated = settings.provider === 'simulated' || storedSimulated === true;
    return openEndpoint({ simulated, apiKey: simulated ? undefined : await this.deps.apiKey(), simulatorLatencyMs: this.simulatorLatencyMs });
  }

  /** The batch has an id and its runtime is open: the UI follows it from here. */
  private started(running: RunningBatch, batchId: string, fresh: boolean): void {
    running.batchId = batchId;
    if (!fresh) this.changed.fire();
    this.deps.fireBatchActivity({ running: true, batchId });
  }

  private forget(ticketId: string): void {
    this.records.delete(ticketId);
    this.liveCost.delete(ticketId);
  }

  private requireStorage(): string {
    const storage = this.deps.storageDir;
    if (!storage) throw new NoWorkspaceStorageError();
    return storage;
  }

  /** Each worker runs as the task "Flotilla: <ticket>"; the batch (cancel, timeout) or the user terminating the task stops it. */
  private runWorkerTask(batchId: string, request: TicketWorkerRequest): Promise<TicketWorkerResult> {
    return this.deps.workerTasks.run({
      ticketId: request.ticket.id,
      batchId,
      label: { tier: request.tier, model: request.model, attempt: request.attempt, ...this.changeRequestOf(request.ticket.id) },
      reviewFollows: true,
      run: (taskSignal, onTaskEvent) =>
        runSelectedWorker({
          ...request,
          signal: request.signal ? AbortSignal.any([request.signal, taskSignal]) : taskSignal,
          onEvent: (event) => {
            onTaskEvent(event);
            request.onEvent?.(event);
          },
        }),
    });
  }

  private changeRequestOf(ticketId: string): { changeRequest: string } | undefined {
    const request = this.running?.changeRequest;
    return request?.ticketId === ticketId ? { changeRequest: request.feedback } : undefined;
  }

  private addLiveCost(record: UsageRecord): void {
    if (record.ticketId === null || record.cached) return;
    const before = this.liveCost.get(record.ticketId);
    // An unpriced call makes the ticket's cost unknown (null), never a guess.
    const next = before === null || record.costUsd === null ? null : (before ?? 0) + record.costUsd;
    this.liveCost.set(record.ticketId, next);
    this.changed.fire();
  }

  private track(event: BatchEvent): void {
    this.deps.workerTasks.follow(event);
    this.emitted.fire(event);
    const batchId = event.type === 'batch-started' ? event.batchId : event.type === 'batch-finished' ? event.summary.batchId : this.running?.batchId;
    if (batchId === undefined) return;
    if (event.type === 'batch-started') for (const record of event.tickets) this.records.set(record.id, { record, batchId });
    else if (event.type === 'ticket-state') this.records.set(event.ticket.id, { record: event.ticket, batchId });
    else if (event.type === 'batch-finished') for (const record of event.summary.tickets) this.records.set(record.id, { record, batchId });
    else return;
    this.changed.fire();
  }

}
