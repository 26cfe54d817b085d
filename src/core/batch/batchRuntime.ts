import { join } from 'node:path';
import { GitClient } from '../git/gitClient';
import { LlmClient } from '../llm/llmClient';
import { RateLimiter } from '../llm/rateLimiter';
import type { UsageMeter } from '../llm/meteringProxy';
import type { UsageRecord } from '../llm/usageRecord';
import type { Logger } from '../logger';
import type { Settings } from '../settings/settingsSchema';
import { acquireBatchLock, describeTakeover, type BatchLock, type BatchLockPurpose } from '../store/batchLock';
import { BatchStateStore } from '../store/batchStateStore';
import { BudgetGuard, type SoftAlert } from '../store/budget';
import { checkFileWritable, checkWritable } from '../store/checkWritable';
import { checkStorageLayout } from '../store/storageLayout';
import { SpaceReserve, reserveBytesFor } from '../store/spaceReserve';
import { StorageFaults } from '../store/storageFaults';
import { batchDir, ledgerFile, monthOf } from '../store/storagePaths';
import { foldLedger } from '../store/ledgerReader';
import { OpenReservations } from '../store/openReservations';
import { isReservation, type LedgerEntry } from '../llm/reservationRecord';
import { UsageLedger } from '../store/ledgerWriter';
import { ResponseCache } from '../store/responseCache';
import { textCacheOver } from '../store/textCache';
import { readMetrics, rebuildMetrics } from '../store/rebuildMetrics';
import type { OutcomeRow } from '../routing/outcomesTable';
import type { TicketReviewer } from './ticketReviewer';
import type { GitHubExtra, ResumeInfo } from '../store/batchExtra';
import { budgetOfSettings } from './batchBudget';
import { BatchRecorder } from './batchRecorder';
import type { BatchEvent, BatchSummary, TicketRecord } from './batchTypes';
import { coreReviewer } from './coreReviewer';
import { runBatch, type BatchDeps, type BatchRequest } from './runBatch';
import { UsageTally } from './usageTally';
import { pipelineContext, runTicketPipeline } from './ticketPipeline';
import { buildRepoMap } from '../worker/repoMap';
import type { Ticket } from '../tickets/ticketSchema';
import { openWorkerEngine, type WorkerEngine, type WorkerEngineChoice } from '../worker/workerEngine';
import { errorMessage } from '../errorText';

/** A change request that cannot run (the ticket's branch start is unknown). */
export class ChangeRequestError extends Error {
  override readonly name = 'ChangeRequestError';
}

export interface ChangeRequestInput {
  readonly ticket: Ticket;
  readonly record: TicketRecord;
  readonly repoRoot: string;
  readonly workspace: string;
  readonly feedback: string;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
  readonly runWorker?: BatchDeps['runWorker'];
}

export interface BatchRuntimeOptions {
  readonly batchId: string;
  /** Workspace storage: batches, worktrees, cache. */
  readonly storage: string;
  /** Global storage: the usage ledger (the CLI uses one folder for both). */
  readonly globalStorage: string;
  readonly settings: Settings;
  /** `simulated`: the simulator answers; records are marked and the monthly limit does not apply (nothing is billed). */
  readonly endpoint: { readonly apiKey: string; readonly baseURL?: string; readonly simulated?: boolean };
  readonly logger: Logger;
  readonly onSoftAlert?: (alert: SoftAlert) => void;
  /** Called for every usage record once it is on disk (the status bar, live costs). */
  readonly onRecord?: (record: UsageRecord) => void;
  /** Resume or a later fix: count this batch's earlier ledger records, never write them again. */
  readonly countEarlierRecords?: boolean;
  /** `--engine` / `flotilla.worker.engine`; absent: the built-in engine. */
  readonly engine?: WorkerEngineChoice;
  /** The endpoint is the simulator (under `auto` it keeps the built-in engine). */
  readonly simulated?: boolean;
}

/**
 * Everything a batch needs around the model calls, the same for the CLI and the extension: storage
 * checked first, the ledger written before a result is used, the budget guard before every call,
 * one rate limiter for all workers, and a tally of this batch's records for the costs shown.
 */
export class BatchRuntime {
  readonly git = new GitClient();
  readonly store: BatchStateStore;

  /** Reviews and the planning call are deterministic for the same inputs: answers are reused (TTL, LRU). */
  private readonly responses: ResponseCache;

  private constructor(
    readonly options: BatchRuntimeOptions,
    readonly client: LlmClient,
    /** Fed by the ledger hook: every record of this batch, earlier runs included. */
    readonly tally: UsageTally,
    private readonly ledger: UsageLedger,
    /** The ledger hook: appends, counts, settles the budget; cache hits go through it too. */
    private readonly recordUsage: (record: UsageRecord) => Promise<void>,
    /** The budget guard and ledger for calls Flotilla's client does not make (the metering proxy). */
    readonly meter: UsageMeter,
    /** The engine that runs this batch's tickets. */
    readonly worker: WorkerEngine,
    /** The first storage fault of the run (a full disk, a read-only folder): it stops the batch. */
    readonly faults: StorageFaults,
  ) {
    this.store = new BatchStateStore({ storage: options.storage, logger: options.logger });
    this.responses = new ResponseCache({ storage: options.storage, logger: options.logger });
  }

  private reviewer(workspace: string, recorder: BatchRecorder): TicketReviewer {
    const { batchId, logger, settings, storage } = this.options;
    return coreReviewer({
      git: this.git,
      client: this.client,
      settings,
      storage,
      workspace,
      batchId,
      logger,
      cache: textCacheOver(this.responses, 'review', 'review'),
      recordCached: this.recordUsage,
      onOutcome: (id, outcome) => void recorder.writeReview(id, outcome),
    });
  }

  static async open(options: BatchRuntimeOptions): Promise<BatchRuntime> {
    await checkWritable(options.storage);
    await checkWritable(options.globalStorage);
    await checkStorageLayout(options.storage, options.globalStorage);
    await checkFileWritable(ledgerFile(options.globalStorage, monthOf(Date.now())));
    const s = options.settings;
    const ledger = new UsageLedger({ globalStorage: options.globalStorage, logger: options.logger });
    const tally = new UsageTally();
    // A resume counts what the batch spent before: its records, and at their worst case the calls a
    // kill left without one (open reservations), so repeated kills cannot carry it past its budget.
    let unknownUsd = 0;
    if (options.countEarlierRecords) {
      const open = new OpenReservations();
      await foldLedger(
        options.globalStorage,
        (record) => {
          open.add(record);
          if (record.batchId === options.batchId) tally.add(record);
        },
        { onReservation: (r) => open.add(r) },
      );
      unknownUsd = open.summary((r) => r.batchId === options.batchId).atMostUsd;
    }
    const monthly = s['budget.monthlyUsd'];
    const batch = s['budget.batchUsd'];
    const simulated = options.endpoint.simulated === true;
    const guard = await BudgetGuard.open(options.globalStorage, {
      limits: { monthlyUsd: monthly > 0 && !simulated ? monthly : null, batchUsd: batch > 0 ? batch : null, softAlertPercent: s['budget.softAlertPercent'] },
      batchSpentUsd: (tally.totals({ batchId: options.batchId }).costUsd ?? 0) + unknownUsd,
      onSoftAlert: options.onSoftAlert,
    });
    const faults = new StorageFaults(options.logger);
    const hooks = guard.clientHooks(async (made) => {
      const entry: LedgerEntry = simulated ? { ...made, simulated: true } : made;
      try {
        await ledger.append(entry);
      } catch (error) {
        // A reservation that cannot be written stops its call before it is sent (the throw); a usage
        // record's call was billed: counted now, written once the batch has stopped and freed its reserve.
        if (faults.report(error, ledgerFile(options.globalStorage, monthOf(entry.ts))) && !isReservation(entry)) {
          faults.hold(entry);
          tally.add(entry);
        }
        throw error;
      }
      if (isReservation(entry)) return;
      tally.add(entry);
      options.onRecord?.(entry);
    });
    const client = new LlmClient({
      apiKey: options.endpoint.apiKey,
      baseURL: options.endpoint.baseURL,
      recordUsage: hooks.recordUsage,
      beforeCall: hooks.beforeCall,
      limiter: new RateLimiter({ maxConcurrency: s['batch.concurrency'] + 2 }),
      pricing: s['llm.pricing'],
      logger: options.logger,
    });
    const worker = await openWorkerEngine({
      choice: options.engine ?? 'builtin',
      settings: s,
      simulated: options.simulated ?? false,
      upstream: { baseURL: client.anthropic.baseURL, apiKey: options.endpoint.apiKey },
      meter: hooks,
      logger: options.logger,
    }).catch(async (error: unknown) => {
      await ledger.close();
      throw error;
    });
    options.logger.info(`worker engine: ${worker.name} (${worker.reason})`);
    return new BatchRuntime(options, client, tally, ledger, hooks.recordUsage, hooks, worker, faults);
  }

  /**
   * Runs a batch with its state recorded: created (or, for a resume, taken over) before anything
   * runs, final ticket states on disk before they are announced, reviews and the execution log kept.
   * The batch's lock is held throughout: the resume's own (taken before it planned), or one taken here.
   */
  async runRecorded(
    request: Omit<BatchRequest, 'batchId' | 'storageDir' | 'persist'>,
    options: { readonly info: ResumeInfo; readonly github?: GitHubExtra; readonly resume?: { readonly previous: readonly TicketRecord[]; readonly baseCommit: string; readonly lock?: BatchLock }; readonly runWorker?: BatchDeps['runWorker'] },
  ): Promise<BatchSummary> {
    const lock = options.resume?.lock ?? (await this.lock(options.resume ? 'resume' : 'run'));
    try {
      const { storage, globalStorage, batchId } = this.options;
      // Taken before anything is written or spent: a disk too full for it stops the batch here.
      const reserve = await SpaceReserve.take([join(batchDir(storage, batchId), '.space-reserve'), join(globalStorage, `.space-reserve-${batchId}`)], reserveBytesFor(request.tickets.length));
      try {
        return await this.runLocked(request, options, reserve);
      } finally {
        await reserve.release().catch((error: unknown) => this.options.logger.warn(`The space reserve of batch ${batchId} could not be removed: ${errorMessage(error)}`));
      }
    } finally {
      if (lock !== options.resume?.lock) await lock.release();
    }
  }

  private async runLocked(
    request: Omit<BatchRequest, 'batchId' | 'storageDir' | 'persist'>,
    options: { readonly info: ResumeInfo; readonly github?: GitHubExtra; readonly resume?: { readonly previous: readonly TicketRecord[]; readonly baseCommit: string }; readonly runWorker?: BatchDeps['runWorker'] },
    reserve: SpaceReserve,
  ): Promise<BatchSummary> {
    const { batchId, storage, logger } = this.options;
    const outcomes = request.outcomes ?? (await this.learnedOutcomes());
    // The budget the guard enforces is kept with the batch, so a resume is held to it (or says it raised it).
    const budget = budgetOfSettings(this.options.settings);
    if (options.resume) {
      await this.store.claim(batchId);
      await this.store.update(batchId, (s) => ({ ...s, extra: { ...s.extra, budget } }));
    } else {
      await this.store.create({ id: batchId, mode: request.mode === 'single' ? 'single' : request.mode === 'direct' ? 'direct' : 'orchestrated', ticketIds: request.tickets.map((t) => t.id), baseCommit: null, extra: { resume: options.info, budget, ...(options.github ? { github: options.github } : {}) } });
    }
    const recorder = new BatchRecorder(this.store, storage, batchId, logger, this.faults);
    recorder.start();
    try {
      const summary = await this.stoppingOnFault(() => runBatch(
        {
          ...request,
          outcomes,
          batchId,
          storageDir: storage,
          previous: options.resume?.previous,
          baseCommit: options.resume?.baseCommit,
          persist: (record) => recorder.saveTicket(record),
          onEvent: (event) => {
            recorder.onEvent(event);
            request.onEvent?.(event);
          },
        },
        {
          git: this.git,
          client: this.client,
          tally: this.tally,
          logger,
          runWorker: options.runWorker,
          engine: this.worker,
          reviewer: this.reviewer(request.workspace, recorder),
          planCache: textCacheOver(this.responses, 'planning', 'plan'),
          recordCached: this.recordUsage,
          storageFaults: this.faults,
        },
      ), recorder, reserve);
      await recorder.finish(summary);
      const fault = this.faults.fault;
      if (fault) {
        await this.lastWords(recorder, summary, reserve);
        throw fault;
      }
      await this.refreshMetrics();
      return summary;
    } finally {
      recorder.stop();
    }
  }

  /** `run`, except that a storage fault it throws (before the batch could settle its tickets) ends it as interrupted. */
  private async stoppingOnFault(run: () => Promise<BatchSummary>, recorder: BatchRecorder, reserve: SpaceReserve): Promise<BatchSummary> {
    try {
      return await run();
    } catch (error) {
      if (!this.faults.report(error, this.options.storage)) throw error;
      await this.lastWords(recorder, undefined, reserve);
      throw this.faults.fault ?? error;
    }
  }

  /**
   * After a storage fault stopped the batch: the reserve is freed, and with that room the usage
   * records the ledger could not take are written, then the batch's final state (no ticket left
   * `running`) and its execution log. What still cannot be written is logged, not thrown: the fault
   * is what the run ends with.
   */
  private async lastWords(recorder: BatchRecorder, summary: BatchSummary | undefined, reserve: SpaceReserve): Promise<void> {
    const { logger, batchId } = this.options;
    await reserve.release().catch((error: unknown) => logger.warn(`The space reserve could not be freed: ${errorMessage(error)}`));
    await this.writeHeldRecords();
    if (summary === undefined) {
      // No final states were decided: the batch is interrupted (running tickets back in the queue), as after a crash.
      await this.store.markInterrupted(batchId).catch((error: unknown) => logger.warn(`Batch ${batchId} could not be marked interrupted: ${errorMessage(error)}`));
      return;
    }
    await recorder.finish(summary);
    if (!recorder.allSaved) logger.warn(`The final state of batch ${this.options.batchId} could not be written even after freeing the space reserve; it shows as interrupted once this process has ended.`);
  }

  /** The usage records of billed calls the ledger could not take when they were made: written now, or each named in the log. */
  private async writeHeldRecords(): Promise<void> {
    for (const record of this.faults.takeHeld()) {
      await this.ledger.append(record).catch((error: unknown) => this.options.logger.error(`A usage record could not be written even after freeing space (${record.model}, ${record.inputTokens} input tokens, requestId ${record.requestId ?? 'none'}): ${errorMessage(error)}`));
    }
  }

  /** Takes this batch's lock (BatchLockedError while a live process holds it); says so when a dead holder's lock is taken over. */
  private async lock(purpose: BatchLockPurpose): Promise<BatchLock> {
    const lock = await acquireBatchLock(this.options.storage, this.options.batchId, { purpose });
    const takeover = describeTakeover(lock);
    if (takeover) this.options.logger.warn(takeover);
    return lock;
  }

  /** Outcomes per (class, tier) in this repository, which teach the router (ARCHITECTURE.md idea 4). */
  private async learnedOutcomes(): Promise<OutcomeRow[] | undefined> {
    try {
      const metrics = (await readMetrics(this.options.storage)) ?? (await rebuildMetrics({ storage: this.options.storage, globalStorage: this.options.globalStorage })).metrics;
      return metrics.outcomes.length > 0 ? metrics.outcomes : undefined;
    } catch (error) {
      this.options.logger.warn(`Routing without learned outcomes: the metrics could not be read (${errorMessage(error)}).`);
      return undefined;
    }
  }

  /** metrics.json is derived: rebuilt after every batch so the next one routes on fresh outcomes. */
  private async refreshMetrics(): Promise<void> {
    try {
      await rebuildMetrics({ storage: this.options.storage, globalStorage: this.options.globalStorage, logger: this.options.logger });
    } catch (error) {
      this.options.logger.warn(`Metrics were not rebuilt: ${errorMessage(error)}`);
    }
  }

  /**
   * Request Changes on a finished ticket: a fix loop in its worktree with the reviewer's words as the
   * findings, then the same review, escalation and recording as in a batch. Returns the new record.
   */
  async runChangeRequest(input: ChangeRequestInput): Promise<TicketRecord> {
    const startCommit = input.record.startCommit;
    if (!startCommit) throw new ChangeRequestError(`${input.ticket.id} was run by an older version of Flotilla that did not record where its branch starts; run it again instead`);
    const lock = await this.lock('change request');
    try {
      return await this.changeLocked(input, startCommit);
    } finally {
      await this.writeHeldRecords();
      await lock.release();
    }
  }

  private async changeLocked(input: ChangeRequestInput, startCommit: string): Promise<TicketRecord> {
    const { batchId, storage, logger, settings } = this.options;
    const recorder = new BatchRecorder(this.store, storage, batchId, logger);
    const repoMap = await buildRepoMap(this.git, input.repoRoot, startCommit);
    const emit = (event: BatchEvent) => {
      recorder.onEvent(event);
      input.onEvent?.(event);
    };
    const ctx = pipelineContext(settings, {
      git: this.git,
      client: this.client,
      repoRoot: input.repoRoot,
      storageDir: storage,
      workspace: input.workspace,
      batchId,
      shared: { repoMap, batchPlan: `A reviewer asked for changes to ticket ${input.ticket.id} after it finished.` },
      reviewer: this.reviewer(input.workspace, recorder),
      runWorker: input.runWorker,
      engine: this.worker,
      tally: this.tally,
      emit,
      persist: (record) => recorder.saveTicket(record),
    });
    const record: TicketRecord = { ...input.record, stages: [...input.record.stages], tierHistory: [...input.record.tierHistory] };
    await runTicketPipeline(ctx, input.ticket, record, undefined, startCommit, input.signal ?? new AbortController().signal, { stage: 'fix', feedback: input.feedback });
    return record;
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.ledger.close();
  }
}
