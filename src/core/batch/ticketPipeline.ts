import type { GitClient } from '../git/gitClient';
import { MAX_TOKENS_PER_TURN } from '../llm/requestEstimate';
import type { LlmClient } from '../llm/llmClient';
import { CallCancelledError, LlmError } from '../llm/llmErrors';
import { modelForTier, type TierModels } from '../llm/tiers';
import type { RouteDecision } from '../routing/routeTicket';
import { sandboxPolicyFrom } from '../process/sandbox';
import type { Settings } from '../settings/settingsSchema';
import type { Ticket } from '../tickets/ticketSchema';
import type { WorkerLimits } from '../worker/agentLoop';
import type { SharedBatchContext, WorkerTicket } from '../worker/promptLayout';
import type { TicketWorkerRequest, TicketWorkerResult } from '../worker/runTicketWorker';
import { runSelectedWorker, type WorkerEngine } from '../worker/workerEngine';
import type { ToolContext } from '../worker/tools/toolTypes';
import type { BatchEvent, TicketRecord } from './batchTypes';
import { reviewReport } from './reviewReport';
import { nextStep, type EscalationLimits } from './escalation';
import type { AttemptOutcome } from './schedulerTypes';
import type { ReviewVerdict, TicketReviewer } from './ticketReviewer';
import { totalTokens, type UsageTally } from './usageTally';

export interface PipelineContext {
  readonly git: GitClient;
  readonly client: Pick<LlmClient, 'call'>;
  readonly repoRoot: string;
  readonly storageDir: string;
  readonly workspace: string;
  readonly batchId: string;
  readonly shared: SharedBatchContext;
  readonly tierModels: TierModels;
  readonly limits: WorkerLimits;
  readonly escalation: EscalationLimits;
  readonly tools: Omit<ToolContext, 'root' | 'signal'>;
  readonly reviewer?: TicketReviewer;
  /** Runs one worker; the extension wraps it in a VS Code task. Default: runSelectedWorker. */
  readonly runWorker?: (request: TicketWorkerRequest) => Promise<TicketWorkerResult>;
  /** The engine the batch runs its tickets with (carried on each request); absent: the built-in loop. */
  readonly engine?: WorkerEngine;
  readonly tally: UsageTally;
  readonly emit: (event: BatchEvent) => void;
  /** Makes a ticket's final state durable; awaited before the state is announced. */
  readonly persist?: (record: TicketRecord) => Promise<void>;
}

/**
 * A model call failed for a reason no ticket can fix (no or wrong key, no permission, spend limit,
 * unknown model): the batch stops and says what to do.
 */
export class ModelAccessError extends Error {
  override readonly name = 'ModelAccessError';
  readonly nextStep: string | null;
  readonly terminalNextStep: string | null;

  constructor(readonly error: LlmError) {
    super(error.message, { cause: error });
    this.nextStep = error.nextStep;
    this.terminalNextStep = error.terminalNextStep === undefined ? error.nextStep : error.terminalNextStep;
  }
}

/** The settings-derived parts of a pipeline context, the same for a batch and a change request. */
export function pipelineContext(settings: Settings, parts: Omit<PipelineContext, 'tierModels' | 'limits' | 'escalation' | 'tools'>): PipelineContext {
  return {
    ...parts,
    tierModels: settings['llm.tiers'],
    limits: { maxTurns: settings['worker.maxTurns'], maxOutputTokens: settings['worker.maxOutputTokens'], maxCostUsd: settings['worker.maxCostUsd'], maxTokensPerTurn: MAX_TOKENS_PER_TURN },
    escalation: { maxFixLoops: settings['batch.maxFixLoops'], maxEscalations: settings['batch.maxEscalations'] },
    tools: {
      allowCommands: settings['commands.allow'],
      commandTimeoutMs: settings['commands.timeoutSeconds'] * 1000,
      maxReadBytes: 256 * 1024,
      maxWriteBytes: 1024 * 1024,
      maxOutputBytes: 32 * 1024,
      sandbox: sandboxPolicyFrom(settings, [parts.storageDir]),
    },
  };
}

/**
 * One ticket from start to a final state: work → review → (fix loop | escalation)* → done or failed.
 * Every model change is recorded with its reason; costs come from the usage records.
 */
/**
 * `startCommit` is where the ticket's branch begins: the batch's base commit, or its dependencies' work.
 */
export async function runTicketPipeline(
  ctx: PipelineContext,
  ticket: Ticket,
  record: TicketRecord,
  planNotes: string | undefined,
  startCommit: string,
  signal: AbortSignal,
  /** A reviewer's change request on a finished ticket starts with a fix loop carrying their words. */
  initial?: { readonly stage: 'fix'; readonly feedback: string },
): Promise<AttemptOutcome> {
  let stage: 'work' | 'fix' = initial?.stage ?? 'work';
  let feedback: string | undefined = initial?.feedback;
  record.startCommit = startCommit;
  let fixLoopsOnTier = 0;
  let attempt = 0;
  const apply = (changes: Partial<TicketRecord>) => {
    Object.assign(record, changes);
    const totals = ctx.tally.totals({ batchId: ctx.batchId, ticketId: ticket.id });
    record.costUsd = totals.costUsd;
    record.tokens = totalTokens(totals);
  };
  const update = (changes: Partial<TicketRecord>) => {
    apply(changes);
    ctx.emit({ type: 'ticket-state', ticket: { ...record } });
  };
  // A final state is on disk before anyone hears of it, so a crash right after cannot lose it.
  const settle = async (changes: Partial<TicketRecord>) => {
    apply(changes);
    await ctx.persist?.({ ...record });
    ctx.emit({ type: 'ticket-state', ticket: { ...record } });
  };

  for (;;) {
    attempt += 1;
    update({ state: 'running', detail: stage === 'work' ? `working on ${record.model}` : `fixing on ${record.model}` });
    const workerTicket: WorkerTicket = { id: ticket.id, title: ticket.title, description: ticket.description, acceptance: ticket.acceptance, files: ticket.files, planNotes, feedback, ...(ticket.issue ? { issue: ticket.issue } : {}) };
    const result: TicketWorkerResult = await (ctx.runWorker ?? runSelectedWorker)({
      git: ctx.git,
      client: ctx.client,
      repoRoot: ctx.repoRoot,
      storageDir: ctx.storageDir,
      workspace: ctx.workspace,
      batchId: ctx.batchId,
      baseCommit: startCommit,
      ticket: workerTicket,
      model: record.model,
      tier: record.tier,
      stage,
      attempt,
      shared: ctx.shared,
      limits: ctx.limits,
      tools: ctx.tools,
      signal,
      onEvent: (event) => ctx.emit({ type: 'worker', id: ticket.id, event }),
      ...(ctx.engine ? { engine: ctx.engine } : {}),
    });
    record.stages.push({ stage, model: record.model, tier: record.tier, tokens: totalTokens(result.usage), costUsd: result.costUsd, result: `${result.status}: ${result.reason}`, engine: result.engine ?? 'builtin' });
    update({ branch: result.branch, commit: result.commit ?? record.commit, diffStats: result.diffStats });

    if (result.status === 'cancelled' || signal.aborted) {
      await settle({ state: 'cancelled', detail: result.reason, resumable: true });
      return { kind: 'failed', reason: 'cancelled' };
    }

    let failure: { kind: 'gates' | 'worker'; reason: string };
    let review: ReviewVerdict | undefined;
    if (result.status === 'failed' && result.modelError) {
      // Not the ticket's fault: a stronger model would not help. Account problems stop the batch;
      // transient ones (rate limits, overload, a dropped connection) go back to the scheduler to retry.
      if (!result.modelError.retryable) throw new ModelAccessError(result.modelError);
      update({ state: 'queued', detail: `waiting to retry: ${result.reason}` });
      return { kind: 'transient', reason: result.reason };
    }
    if (result.status === 'failed') {
      // The next attempt reattaches the worktree, which drops this run's uncommitted edits.
      failure = { kind: 'worker', reason: result.reason };
    } else {
      update({ state: 'reviewing', detail: 'running gates and review' });
      const mark = ctx.tally.all(ctx.batchId).length;
      try {
        review = ctx.reviewer
          ? await ctx.reviewer({ ticket, worktree: result.worktree, baseCommit: startCommit, branch: result.branch, attempt, model: record.model, changes: result.changes, signal })
          : { passed: true, level: 'none', summary: 'no review configured', feedback: '', findings: 0 };
      } catch (error) {
        if (!(error instanceof LlmError) || error instanceof CallCancelledError) throw error;
        if (!error.retryable) throw new ModelAccessError(error);
        update({ state: 'queued', detail: `waiting to retry the review: ${error.message}` });
        return { kind: 'transient', reason: `review call failed: ${error.message}` };
      }
      // This review's own calls: recorded after the mark, for this ticket, at the review stage.
      const calls = ctx.tally.all(ctx.batchId).slice(mark).filter((r) => r.ticketId === ticket.id && r.stage === 'review');
      const models = [...new Set(calls.map((r) => r.model))];
      record.stages.push({
        stage: 'review',
        model: models.length ? models.join(', ') : `gates only (${review.level})`,
        tier: null,
        tokens: calls.reduce((n, r) => n + totalTokens(r), 0),
        costUsd: calls.some((r) => r.costUsd === null) ? null : calls.reduce((n, r) => n + (r.costUsd ?? 0), 0),
        result: `${review.passed ? 'PASS' : 'FAIL'}: ${review.summary}`,
      });
      update({ review: { level: review.level, result: review.passed ? 'PASS' : 'FAIL', findings: review.findings } });
      if (review.passed) {
        ctx.emit({ type: 'ticket-reviewed', id: ticket.id, review: reviewReport(review, attempt, record.model, null) });
        await settle({ state: 'done', detail: result.summary ?? 'done' });
        return { kind: 'done' };
      }
      failure = { kind: 'gates', reason: review.summary };
    }

    const step = nextStep({ tier: record.tier, fixLoopsOnTier, escalations: record.escalations, maxTier: record.maxTier }, failure, ctx.escalation);
    // The gates' and reviewers' word on this attempt reaches the ticket's terminal before the next run starts.
    if (review) ctx.emit({ type: 'ticket-reviewed', id: ticket.id, review: reviewReport(review, attempt, record.model, step.action) });
    if (step.kind === 'give-up') {
      await settle({ state: 'failed', detail: step.reason });
      return { kind: 'failed', reason: step.reason };
    }
    // A worker that produced nothing starts over; failed gates continue from its commit with the findings.
    stage = failure.kind === 'gates' ? 'fix' : stage;
    feedback = review ? review.feedback || review.summary : feedback;
    if (step.kind === 'fix') {
      fixLoopsOnTier += 1;
      update({ fixLoops: record.fixLoops + 1, detail: step.reason });
      continue;
    }
    const from = record.model;
    const model = modelForTier(step.to, ctx.tierModels);
    fixLoopsOnTier = 0;
    record.tierHistory.push({ tier: step.to, model, reason: step.reason });
    update({ tier: step.to, model, escalations: record.escalations + 1, detail: step.reason });
    ctx.emit({ type: 'ticket-escalated', id: ticket.id, from, to: model, reason: step.reason });
  }
}

export function initialRecord(ticket: Ticket, decision: RouteDecision, tierModels: TierModels): TicketRecord {
  const model = decision.modelId ?? modelForTier(decision.tier ?? 'strong', tierModels);
  return {
    id: ticket.id,
    title: ticket.title,
    complexityClass: decision.complexityClass,
    score: decision.score,
    tier: decision.tier,
    model,
    reason: decision.reason,
    maxTier: decision.maxTier,
    state: 'queued',
    detail: 'waiting to start',
    stages: [],
    fixLoops: 0,
    escalations: 0,
    tierHistory: [{ tier: decision.tier, model, reason: decision.reason }],
    review: null,
    startCommit: null,
    branch: null,
    commit: null,
    diffStats: [],
    costUsd: 0,
    tokens: 0,
  };
}
