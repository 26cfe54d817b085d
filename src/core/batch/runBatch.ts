import type { GitClient } from '../git/gitClient';
import { MergeConflictError } from '../git/gitErrors';
import { resolveBaseCommit } from '../git/repository';
import type { LlmClient } from '../llm/llmClient';
import { modelForTier } from '../llm/tiers';
import type { Logger } from '../logger';
import type { UsageRecord } from '../llm/usageRecord';
import type { TextCache } from '../store/textCache';
import { routableFromTicket } from '../routing/routableTicket';
import { routeTicket, type RouteDecision } from '../routing/routeTicket';
import type { OutcomeRow } from '../routing/outcomesTable';
import type { Settings } from '../settings/settingsSchema';
import { BudgetExceededError } from '../store/budget';
import { StorageFaultError, type StorageFaults } from '../store/storageFaults';
import type { Ticket } from '../tickets/ticketSchema';
import { buildRepoMap } from '../worker/repoMap';
import type { WorkerEngine } from '../worker/workerEngine';
import { heuristicPlan, renderBatchPlan, renderTicketPlanNotes, type BatchPlan } from './batchPlan';
import { estimateBatch, type BatchEstimate } from './batchEstimate';
import { summarizeBatch } from './batchSummary';
import type { BatchEndState, BatchModeChoice } from '../vocabulary/batchStates';
import { isActiveRunState, isFinalRunState } from '../vocabulary/ticketStates';
import type { BatchEvent, BatchSummary, TicketRecord } from './batchTypes';
import { buildDag } from './dag';
import { isResumable, oneLineReason, settleUnfinished } from './finalStates';
import { Scheduler } from './scheduler';
import { planBatch } from './sharedPlanning';
import type { TicketReviewer } from './ticketReviewer';
import { initialRecord, ModelAccessError, pipelineContext, runTicketPipeline, type PipelineContext } from './ticketPipeline';
import { ticketStartCommit } from './ticketStartCommit';
import type { UsageTally } from './usageTally';

export interface BatchRequest {
  readonly batchId: string;
  /** A folder inside the repository. */
  readonly repo: string;
  readonly storageDir: string;
  readonly workspace: string;
  /** Validated tickets to run (the selection). */
  readonly tickets: readonly Ticket[];
  readonly settings: Settings;
  readonly mode: BatchModeChoice;
  /** `--tier`: a tier for every ticket, or 'auto'. */
  readonly tier?: string;
  /** Per-ticket picks made in the UI ("Set Model"). */
  readonly picks?: Readonly<Record<string, string>>;
  readonly outcomes?: readonly OutcomeRow[];
  /**
   * The routing the user confirmed (the extension's dialog), so the batch runs the models and mode
   * that were shown; routed afresh when absent. Exploration makes routing random, so routing twice
   * could disagree.
   */
  readonly decisions?: ReadonlyMap<string, RouteDecision>;
  readonly simulated: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: BatchEvent) => void;
  /** Makes a ticket's final state durable before it is announced (the batch recorder). */
  readonly persist?: (record: TicketRecord) => Promise<void>;
  /** Resume: tickets of this batch that finished earlier (kept as they are; dependents build on them). */
  readonly previous?: readonly TicketRecord[];
  /** Resume: the batch's original base commit (the user's branch may have moved since). */
  readonly baseCommit?: string;
  /** Receives the controls of the running batch once its scheduler exists (Cancel / Pause in the UI). */
  readonly onControls?: (controls: BatchControls) => void;
  /** false: worker requests without cache breakpoints. Only the benchmark turns caching off, to measure it. */
  readonly promptCaching?: boolean;
}

/** What a UI may do to a running batch. */
export interface BatchControls {
  cancelTicket(ticketId: string): boolean;
  cancelAll(): void;
  pause(): void;
  resume(): void;
}

export interface BatchDeps {
  readonly git: GitClient;
  readonly client: Pick<LlmClient, 'call'>;
  readonly tally: UsageTally;
  readonly reviewer?: TicketReviewer;
  readonly runWorker?: PipelineContext['runWorker'];
  /** The batch's worker engine (BatchRuntime resolves it); absent: the built-in loop. */
  readonly engine?: WorkerEngine;
  /** The response cache for the planning call, and where its hits are recorded. */
  readonly planCache?: TextCache;
  readonly recordCached?: (record: UsageRecord) => Promise<void>;
  readonly logger: Logger;
  /** Where storage faults are reported; the first one stops the batch (BatchRuntime's). */
  readonly storageFaults?: StorageFaults;
}

/** Routing for every ticket of a selection, the way a batch would start them. */
export function routeSelection(tickets: readonly Ticket[], request: Pick<BatchRequest, 'mode' | 'tier' | 'picks' | 'outcomes' | 'settings'>): Map<string, RouteDecision> {
  const forced = request.mode === 'single' ? 'strong' : request.tier && request.tier !== 'auto' ? request.tier : undefined;
  return new Map(
    tickets.map((ticket) => [
      ticket.id,
      routeTicket(routableFromTicket(ticket), {
        userPick: request.picks?.[ticket.id] ?? forced,
        outcomes: request.outcomes,
        adaptive: { threshold: request.settings['routing.threshold'], minSamples: request.settings['routing.minSamples'], explorationShare: request.settings['routing.explorationShare'] },
      }),
    ]),
  );
}

export function estimateSelection(decisions: ReadonlyMap<string, RouteDecision>, request: Pick<BatchRequest, 'mode' | 'settings'>): BatchEstimate {
  const s = request.settings;
  return estimateBatch({
    decisions: [...decisions.values()],
    tierModels: s['llm.tiers'],
    pricing: s['llm.pricing'],
    choice: request.mode,
    maxCostPerRunUsd: s['worker.maxCostUsd'],
    runsPerTicket: 1 + s['batch.maxFixLoops'] * (1 + s['batch.maxEscalations']) + s['batch.maxEscalations'],
  });
}

/**
 * Runs a batch end to end (ARCHITECTURE.md "Data flows one way"): route → estimate → plan (when it
 * pays) → DAG schedule → per ticket work, review, fix loops and escalation. Emits events as it goes and
 * returns the summary; throws only for set-up problems (not a git repository, a cycle …).
 */
export async function runBatch(request: BatchRequest, deps: BatchDeps): Promise<BatchSummary> {
  const emit = (event: BatchEvent) => request.onEvent?.(event);
  const s = request.settings;
  const startedAt = new Date().toISOString();
  const resolved = await resolveBaseCommit(deps.git, request.repo, { signal: request.signal });
  const base = request.baseCommit ? { ...resolved, commit: request.baseCommit } : resolved;
  if (base.uncommitted.length > 0) deps.logger.warn(`${base.uncommitted.length} uncommitted change(s) stay in your tree; tickets start from ${base.commit.slice(0, 8)}.`);
  const confirmed = request.decisions;
  const decisions = confirmed && request.tickets.every((t) => confirmed.has(t.id)) ? confirmed : routeSelection(request.tickets, request);
  const estimate = estimateSelection(decisions, request);
  const selected = new Set(request.tickets.map((t) => t.id));
  const previousFailures = new Map((request.previous ?? []).filter((r) => r.state !== 'done').map((r) => [r.id, r]));
  const runnable = request.tickets.filter((t) => !t.dependsOn.some((d) => previousFailures.has(d)));
  const dag = buildDag(runnable.map((t) => ({ id: t.id, dependsOn: t.dependsOn.filter((d) => selected.has(d)), predictedFiles: t.files, priority: t.priority })));
  const records = new Map<string, TicketRecord>((request.previous ?? []).map((r) => [r.id, { ...r }]));
  for (const t of request.tickets) records.set(t.id, initialRecord(t, decisions.get(t.id) as RouteDecision, s['llm.tiers']));
  emit({ type: 'batch-started', batchId: request.batchId, baseCommit: base.commit, estimate, tickets: [...records.values()].map((r) => ({ ...r })), simulated: request.simulated, ...engineInfo(deps.engine) });
  for (const ticket of request.tickets.filter((t) => !runnable.includes(t))) {
    const failed = ticket.dependsOn.find((d) => previousFailures.has(d)) as string;
    const record = records.get(ticket.id) as TicketRecord;
    Object.assign(record, { state: 'blocked', detail: `blocked: dependency ${failed} ${previousFailures.get(failed)?.state ?? 'failed'} earlier in this batch` });
    emit({ type: 'ticket-state', ticket: { ...record } });
  }

  const repoMap = await buildRepoMap(deps.git, base.root, base.commit);
  const meta = { workspace: request.workspace, batchId: request.batchId, ticketId: null, stage: 'plan' as const, tier: 'balanced' as const };
  let plan: BatchPlan;
  let planning: BatchSummary['planning'] = null;
  if (estimate.mode === 'orchestrated') {
    emit({ type: 'planning', status: 'started', detail: 'one planning call for the batch' });
    const planningModel = modelForTier('balanced', s['llm.tiers']);
    const planned = await planBatch({ client: deps.client, model: planningModel, meta, repoMap, tickets: request.tickets, decisions, logger: deps.logger, signal: request.signal, cache: deps.planCache, recordCached: deps.recordCached });
    plan = planned.plan;
    planning = { model: planningModel, tokens: planned.tokens, costUsd: planned.costUsd, source: plan.source };
    emit({ type: 'planning', status: planned.fallbackReason ? 'fallback' : 'done', detail: planned.fallbackReason ?? plan.summary });
  } else {
    plan = heuristicPlan(request.tickets, decisions, 'direct');
    emit({ type: 'planning', status: 'skipped', detail: estimate.modeReason });
  }
  // Single mode is the baseline a batch is measured against: each ticket alone, with no shared
  // context (no repository map, no batch plan) — what running one agent per ticket gives.
  const single = request.mode === 'single';
  const cacheBreakpoints = request.promptCaching ?? true;
  const shared = single ? { repoMap: '', batchPlan: '', cacheBreakpoints } : { repoMap, batchPlan: renderBatchPlan(plan, request.tickets), cacheBreakpoints };
  const planNotes = new Map(single ? [] : plan.tickets.map((p) => [p.id, renderTicketPlanNotes(p)]));

  // What stopped the batch before its end: the budget, a model-access problem no ticket can fix, or
  // storage that cannot take a write (a full disk), which no ticket can fix either.
  let stoppedBy: BudgetExceededError | ModelAccessError | StorageFaultError | undefined;
  // Tickets whose pipeline is still at work; a cancelled one is settled by the scheduler before its git and worker processes have ended.
  const inFlight = new Set<Promise<unknown>>();
  const tracked =
    <A extends unknown[], T>(run: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> => {
      const work = run(...args);
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work)).catch(() => undefined);
      return work;
    };
  const scheduler = new Scheduler({
    dag,
    concurrency: s['batch.concurrency'],
    timeoutMs: s['batch.ticketTimeoutMinutes'] * 60_000,
    maxRetries: 1,
    logger: deps.logger,
    run: tracked(async (id, signal) => {
      const record = records.get(id) as TicketRecord;
      const ticket = request.tickets.find((t) => t.id === id) as Ticket;
      try {
        const dependencyCommits = ticket.dependsOn.flatMap((dep) => records.get(dep)?.commit ?? []);
        const startCommit = await ticketStartCommit(deps.git, base.root, base.commit, dependencyCommits, id);
        const ctx = pipelineContext(s, {
          git: deps.git,
          client: deps.client,
          repoRoot: base.root,
          storageDir: request.storageDir,
          workspace: request.workspace,
          batchId: request.batchId,
          shared,
          reviewer: deps.reviewer,
          runWorker: deps.runWorker,
          engine: deps.engine,
          tally: deps.tally,
          emit,
          persist: request.persist,
        });
        return await runTicketPipeline(ctx, ticket, record, planNotes.get(id), startCommit, signal);
      } catch (error) {
        const storageFault = (await deps.storageFaults?.reportOrProbe(error, request.storageDir)) ? deps.storageFaults?.fault : undefined;
        if (storageFault) {
          // The batch is stopping (the faults' listener below); this ticket can run again on resume.
          // (A ticket the stop cancelled already keeps that state.)
          if (!isFinalRunState(record.state)) {
            Object.assign(record, { state: 'failed', detail: `stopped: ${storageFault.message}`, resumable: true });
            emit({ type: 'ticket-state', ticket: { ...record } });
          }
          return { kind: 'failed', reason: 'stopped: storage cannot be written' };
        }
        if (error instanceof MergeConflictError) {
          Object.assign(record, { state: 'failed', detail: `its dependencies conflict: ${error.message}` });
          emit({ type: 'ticket-state', ticket: { ...record } });
          return { kind: 'failed', reason: 'dependencies conflict' };
        }
        if (!(error instanceof BudgetExceededError) && !(error instanceof ModelAccessError)) throw error;
        // Running calls finish; nothing new starts; the batch ends as stopped.
        stoppedBy ??= error;
        const why = error instanceof BudgetExceededError ? 'stopped by budget' : 'stopped: the model cannot be reached';
        // The next step is worded per front end in the summary (stopNextStep), not in the ticket's detail.
        // Stopped from outside, not by its own work: a resume (with budget left, or access back) runs it again.
        Object.assign(record, { state: 'failed', detail: `${why}: ${error.message}`, resumable: true });
        emit({ type: 'ticket-state', ticket: { ...record } });
        scheduler.pause();
        return { kind: 'failed', reason: why };
      }
    }),
  });
  // Final states the scheduler decided (retries spent, a run that threw, a timeout) reach the record
  // here; their writes are awaited before the summary so state.json never trails the batch's end.
  const settling: Promise<void>[] = [];
  const settleRecord = (record: TicketRecord): void => {
    settling.push((request.persist?.({ ...record }) ?? Promise.resolve()).then(() => emit({ type: 'ticket-state', ticket: { ...record } })));
  };
  scheduler.on((event) => {
    if (event.type === 'idle' && !event.complete && stoppedBy) scheduler.cancelAll();
    if (event.type === 'failed') {
      const record = records.get(event.ticketId) as TicketRecord;
      if (!isFinalRunState(record.state)) {
        // The scheduler decided (retries spent, a run that threw, a timeout), not the ticket's gates: resumable.
        Object.assign(record, { state: 'failed', detail: oneLineReason(event.reason), resumable: true });
        settleRecord(record);
      }
    }
    if (event.type === 'blocked' || event.type === 'cancelled') {
      const record = records.get(event.ticketId) as TicketRecord;
      if (isActiveRunState(record.state)) {
        // A cancelled ticket did not finish; a blocked one runs again when what blocked it does.
        const cause = event.type === 'blocked' ? records.get(event.blockedBy) : undefined;
        Object.assign(record, {
          state: event.type === 'blocked' ? 'blocked' : 'cancelled',
          detail: event.type === 'blocked' ? event.reason : stoppedBy ? `${record.state === 'queued' ? 'not started' : 'stopped'}: ${stoppedBy.message}` : 'cancelled',
          resumable: event.type === 'cancelled' || (cause !== undefined && isResumable(cause)),
        });
        emit({ type: 'ticket-state', ticket: { ...record } });
      }
    }
    if (event.type === 'finished' || event.type === 'failed') {
      const totals = deps.tally.totals({ batchId: request.batchId });
      emit({ type: 'cost', batchCostUsd: totals.costUsd, tokens: totals.inputTokens + totals.outputTokens + totals.cacheReadTokens + totals.cacheWrite5mTokens + totals.cacheWrite1hTokens });
    }
  });
  request.onControls?.({
    cancelTicket: (id) => scheduler.cancel(id),
    cancelAll: () => scheduler.cancelAll(),
    pause: () => scheduler.pause(),
    resume: () => scheduler.resume(),
  });
  const onAbort = () => scheduler.cancelAll();
  request.signal?.addEventListener('abort', onAbort, { once: true });
  // A full disk anywhere (state, ledger, a transcript, a worktree) stops every ticket: nothing they do could be kept.
  const offFault = deps.storageFaults?.onFault((fault) => {
    stoppedBy ??= fault;
    scheduler.cancelAll();
  });
  try {
    await scheduler.start();
    // After a full disk, the batch's last writes need the room its cancelled workers may still be
    // filling (a git checkout being killed): they end first, within a bound.
    if (StorageFaultError.is(stoppedBy)) await settledWithin([...inFlight], IN_FLIGHT_WAIT_MS);
  } finally {
    request.signal?.removeEventListener('abort', onAbort);
    offFault?.();
  }

  const list = [...records.values()];
  const state: BatchEndState = stoppedBy instanceof BudgetExceededError ? 'stopped-by-budget' : stoppedBy ? 'failed' : request.signal?.aborted ? 'cancelled' : list.every((r) => r.state === 'done') ? 'done' : 'failed';
  for (const record of settleUnfinished(list, state)) settleRecord(record);
  await Promise.all(settling);
  const summary = summarizeBatch({ batchId: request.batchId, state, mode: request.mode === 'single' ? 'single' : estimate.mode, startedAt, endedAt: new Date().toISOString(), concurrency: s['batch.concurrency'], simulated: request.simulated, planning, records: list, tally: deps.tally, estimate, settings: s, strongModel: modelForTier('strong', s['llm.tiers']) });
  if (deps.engine) summary.engine = engineInfo(deps.engine).engine;
  if (stoppedBy) {
    summary.stopReason = stoppedBy.message;
    if (stoppedBy.nextStep) summary.stopNextStep = { editor: stoppedBy.nextStep, terminal: stoppedBy.terminalNextStep ?? stoppedBy.nextStep };
  }
  emit({ type: 'batch-finished', state, summary });
  return summary;
}

function engineInfo(engine: WorkerEngine | undefined): { engine?: { name: WorkerEngine['name']; reason: string } } {
  return engine ? { engine: { name: engine.name, reason: engine.reason } } : {};
}

/** How long a stopped batch waits for its cancelled tickets' work to end (their processes are being killed). */
const IN_FLIGHT_WAIT_MS = 10_000;

async function settledWithin(work: readonly Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([Promise.allSettled(work), bound]);
  clearTimeout(timer);
}
