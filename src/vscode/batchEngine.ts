import * as vscode from 'vscode';
import { readRecords, type ResumeInfo } from '../core/store/batchExtra';
import { newBatchId } from '../core/batch/batchIds';
import { pickResumableBatch, planResume, ResumeError } from '../core/batch/resumePlan';
import { BatchStateStore, type LoadedBatch } from '../core/store/batchStateStore';
import { formatProblem } from '../core/store/storeProblem';
import { loadTickets } from '../core/tickets/loadTickets';
import { join } from 'node:path';
import { BatchRuntime, ChangeRequestError } from '../core/batch/batchRuntime';
import type { BatchEstimate } from '../core/batch/batchEstimate';
import type { BatchEvent, BatchSummary, TicketRecord } from '../core/batch/batchTypes';
import { estimateSelection, routeSelection, type BatchControls } from '../core/batch/runBatch';
import { LlmClient } from '../core/llm/llmClient';
import { listModels, type ModelInfo } from '../core/llm/models';
import type { UsageRecord } from '../core/llm/usageRecord';
import type { Settings } from '../core/settings/settingsSchema';
import { monthSpend } from '../core/store/ledgerReader';
import { readMetrics } from '../core/store/rebuildMetrics';
import type { RouteDecision } from '../core/routing/routeTicket';
import { typicalBatchCost, type TypicalCost } from '../core/batch/typicalCost';
import { monthOf } from '../core/store/storagePaths';
import type { Ticket } from '../core/tickets/ticketSchema';
import type { TicketWorkerRequest, TicketWorkerResult } from '../core/worker/runTicketWorker';
import { previewWorkerEngine, runSelectedWorker } from '../core/worker/workerEngine';
import { demoResponder } from '../simulator/demo/demoResponder';
import { startSimulator } from '../simulator/simulator';
import type { Simulator } from '../simulator/simulatorTypes';
import type { BatchActivity } from './flotillaContext';
import { log } from './log';
import type { BudgetView, TicketRunView } from './runStateText';
import type { WorkerTasks } from './workerTask';

/** Provider anthropic with no key in SecretStorage: the UI offers "Set API Key" and "Use Simulated Model". */
export class ApiKeyMissingError extends Error {
  constructor() {
    super('No Anthropic API key is set. Set one, or use the simulated model to run offline.');
    this.name = 'ApiKeyMissingError';
  }
}

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
  /** Resume: earlier finished tickets and the batch's base commit. */
  readonly resume?: { readonly previous: readonly TicketRecord[]; readonly baseCommit: string };
  /** Resume: the batch to continue instead of a new one. */
  readonly batchId?: string;
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
}

interface Endpoint {
  readonly apiKey: string;
  readonly baseURL: string | undefined;
  readonly simulated: boolean;
}

interface RunningBatch {
  readonly batchId: string;
  readonly controller: AbortController;
  controls: BatchControls | undefined;
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
  private readonly records = new Map<string, TicketRecord>();
  /** Cost per ticket from the usage records as they land, so a running ticket shows "$ so far". */
  private readonly liveCost = new Map<string, number | null>();
  private running: RunningBatch | undefined;
  private simulator: Promise<Simulator> | undefined;
  private simulatorLatencyMs = 0;
  private lastSimulated = false;

  constructor(private readonly deps: BatchEngineDeps) {}

  /** The latest run state of a ticket in this window (current or last batch). */
  runOf(ticketId: string): TicketRunView | undefined {
    const record = this.records.get(ticketId);
    if (!record) return undefined;
    const live = this.liveCost.get(ticketId);
    return live === undefined ? record : { ...record, costUsd: live };
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
      engine: await previewWorkerEngine(settings['worker.engine'], settings, settings.provider === 'simulated'),
    };
  }

  /** Runs one batch to its end; rejects only for set-up problems (no key, not a git repository …). */
  async run(options: BatchRunOptions): Promise<BatchSummary> {
    if (this.running) throw new BatchAlreadyRunningError(this.running.batchId);
    const storage = this.deps.storageDir;
    if (!storage) throw new NoWorkspaceStorageError();
    const batchId = options.batchId ?? newBatchId(new Date());
    const controller = new AbortController();
    const running: RunningBatch = { batchId, controller, controls: undefined };
    this.running = running;
    const cancel = options.token?.onCancellationRequested(() => controller.abort());
    this.deps.fireBatchActivity({ running: true, batchId });
    try {
      return await this.runBatch(batchId, storage, options, running);
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
    const storage = this.deps.storageDir;
    if (!storage) throw new NoWorkspaceStorageError();
    const loaded = await new BatchStateStore({ storage, logger: log }).load(batchId);
    const record = loaded ? readRecords(loaded.state).records.get(ticketId) : undefined;
    if (!loaded || !record) throw new ChangeRequestError(`batch ${batchId} has no record of ticket ${ticketId}`);
    const { info } = planResume(loaded.state);
    const settings = this.deps.settings();
    const ticket = (await loadTickets(join(info.repoRoot, settings['tickets.folder']))).tickets.find((t) => t.id === ticketId);
    if (!ticket) throw new ChangeRequestError(`the ticket file of ${ticketId} no longer loads from ${info.repoRoot}`);
    const endpoint = await this.endpoint(settings);
    const controller = new AbortController();
    this.running = { batchId, controller, controls: undefined };
    this.deps.fireBatchActivity({ running: true, batchId });
    const runtime = await this.openRuntime(batchId, storage, settings, endpoint, true);
    try {
      return await runtime.runChangeRequest({
        ticket,
        record,
        repoRoot: info.repoRoot,
        workspace: info.repoRoot,
        feedback,
        signal: controller.signal,
        onEvent: (event) => this.track(event),
        runWorker: (request) => this.runWorkerTask(batchId, request),
      });
    } finally {
      await runtime.close();
      this.running = undefined;
      this.deps.fireBatchActivity({ running: false, batchId });
    }
  }

  /** Batches of this workspace that were cut off (a crash, a closed window) and can be resumed. */
  async interruptedBatches(): Promise<LoadedBatch[]> {
    const storage = this.deps.storageDir;
    if (!storage) return [];
    const list = await new BatchStateStore({ storage, logger: log }).list();
    return list.batches.filter((b) => b.interrupted || b.state.status === 'interrupted');
  }

  /** Resume Batch: finished tickets kept, the rest run again from the batch's base commit. */
  async resume(batchId: string | undefined, options: Pick<BatchRunOptions, 'onEvent' | 'token'> = {}): Promise<BatchSummary> {
    const storage = this.deps.storageDir;
    if (!storage) throw new NoWorkspaceStorageError();
    const plan = planResume((await pickResumableBatch(new BatchStateStore({ storage, logger: log }), batchId, (p) => log.warn(formatProblem(p)))).state);
    const settings = this.deps.settings();
    const set = await loadTickets(join(plan.info.repoRoot, settings['tickets.folder']));
    const tickets = plan.remaining.flatMap((id) => set.tickets.filter((t) => t.id === id));
    if (tickets.length !== plan.remaining.length) throw new ResumeError(`some ticket files of batch ${plan.state.id} no longer load from ${plan.info.repoRoot}`);
    for (const record of plan.previous) this.records.set(record.id, record);
    return this.run({ ...options, tickets, repo: plan.info.repoRoot, picks: plan.info.picks, batchId: plan.state.id, resume: { previous: plan.previous, baseCommit: plan.baseCommit } });
  }

  cancelTicket(ticketId: string): boolean {
    return this.running?.controls?.cancelTicket(ticketId) ?? false;
  }

  cancelAll(): void {
    this.running?.controller.abort();
  }

  /** Throws ApiKeyMissingError before anything is shown or started when the provider cannot be reached without a key. */
  async ensureAccess(): Promise<void> {
    await this.endpoint(this.deps.settings());
  }

  /** Model ids the configured provider offers (GET /v1/models), for List Models. */
  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    const endpoint = await this.endpoint(this.deps.settings());
    const client = new LlmClient({ apiKey: endpoint.apiKey, baseURL: endpoint.baseURL, recordUsage: () => undefined, logger: log });
    return listModels(client.anthropic, signal);
  }

  /**
   * Test hook (reached only through the extension API the integration suites use, never a setting):
   * every simulated response waits this long, so a test can cancel a ticket while it runs.
   */
  async setSimulatedLatency(ms: number): Promise<void> {
    if (this.running) throw new BatchAlreadyRunningError(this.running.batchId);
    this.simulatorLatencyMs = ms;
    const previous = this.simulator;
    this.simulator = undefined;
    if (previous) await (await previous).close();
  }

  dispose(): void {
    this.running?.controller.abort();
    this.changed.dispose();
    this.emitted.dispose();
    void this.simulator?.then((s) => s.close()).catch(() => undefined);
    this.simulator = undefined;
  }

  private async runBatch(batchId: string, storage: string, options: BatchRunOptions, running: RunningBatch): Promise<BatchSummary> {
    const settings = this.deps.settings();
    const endpoint = await this.endpoint(settings);
    this.lastSimulated = endpoint.simulated;
    const runtime = await this.openRuntime(batchId, storage, settings, endpoint, options.resume !== undefined);
    for (const t of options.tickets) {
      this.records.delete(t.id);
      this.liveCost.delete(t.id);
    }
    this.changed.fire();
    const info: ResumeInfo = { repoRoot: options.repo, workspace: options.repo, mode: 'auto', tier: 'auto', simulated: endpoint.simulated, picks: options.picks };
    try {
      const summary = await runtime.runRecorded(
        {
          repo: options.repo,
          workspace: options.repo,
          tickets: options.tickets,
          settings,
          mode: 'auto',
          tier: 'auto',
          picks: options.picks,
          decisions: options.decisions,
          simulated: endpoint.simulated,
          signal: running.controller.signal,
          onControls: (controls) => (running.controls = controls),
          onEvent: (event) => {
            this.track(event);
            options.onEvent?.(event);
          },
        },
        { info, resume: options.resume, runWorker: (request) => this.runWorkerTask(batchId, request) },
      );
      log.info(`batch ${batchId} ${summary.state}${endpoint.simulated ? ' (simulated)' : ''}: ${summary.tickets.map((t) => `${t.id} ${t.state}`).join(', ')}`);
      return summary;
    } finally {
      await runtime.close();
    }
  }

  /** The ledger, budget guard and recorded state around model calls, shared with the CLI (core/batch/batchRuntime). */
  private openRuntime(batchId: string, storage: string, settings: Settings, endpoint: Endpoint, countEarlierRecords: boolean): Promise<BatchRuntime> {
    return BatchRuntime.open({
      batchId,
      storage,
      globalStorage: this.deps.globalStorageDir,
      settings,
      endpoint: { apiKey: endpoint.apiKey, baseURL: endpoint.baseURL, simulated: endpoint.simulated },
      logger: log,
      countEarlierRecords,
      engine: settings['worker.engine'],
      simulated: endpoint.simulated,
      onRecord: (record) => {
        this.addLiveCost(record);
        this.deps.fireUsage(record);
      },
      onSoftAlert: (alert) => {
        const text = `Flotilla: ${alert.percent}% of the ${alert.limit} budget used (${alert.spentUsd.toFixed(2)} of ${alert.limitUsd.toFixed(2)} USD).`;
        log.warn(text);
        void vscode.window.showWarningMessage(text);
      },
    });
  }

  /** Each worker runs as the task "Flotilla: <ticket>"; the batch (cancel, timeout) or the user terminating the task stops it. */
  private runWorkerTask(batchId: string, request: TicketWorkerRequest): Promise<TicketWorkerResult> {
    return this.deps.workerTasks.run({
      ticketId: request.ticket.id,
      batchId,
      label: { tier: request.tier, model: request.model, attempt: request.attempt },
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
    if (event.type === 'batch-started') for (const t of event.tickets) this.records.set(t.id, t);
    else if (event.type === 'ticket-state') this.records.set(event.ticket.id, event.ticket);
    else if (event.type === 'batch-finished') for (const t of event.summary.tickets) this.records.set(t.id, t);
    else return;
    this.changed.fire();
  }

  /** Where model calls go: the in-process simulator (started on first use, one per window) or the API with the stored key. */
  private async endpoint(settings: Settings): Promise<Endpoint> {
    if (settings.provider === 'simulated') {
      this.simulator ??= startSimulator({ responder: demoResponder(), latencyMs: this.simulatorLatencyMs });
      const simulator = await this.simulator;
      return { apiKey: 'simulated', baseURL: simulator.url, simulated: true };
    }
    const apiKey = await this.deps.apiKey();
    if (!apiKey) throw new ApiKeyMissingError();
    return { apiKey, baseURL: undefined, simulated: false };
  }
}
