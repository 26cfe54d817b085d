import type { GitClient } from '../git/gitClient';
import type { CommitAuthor } from '../git/commit';
import type { DiffWithCounts, NumstatEntry } from '../git/diff';
import type { CallMeta, LlmClient } from '../llm/llmClient';
import type { LlmError } from '../llm/llmErrors';
import type { TokenUsage } from '../llm/cost';
import type { Tier, WorkerEngineName } from '../llm/usageRecord';
import { runAgentLoop, type WorkerLimits } from './agentLoop';
import type { SharedBatchContext, WorkerTicket } from './promptLayout';
import type { ToolContext } from './tools/toolTypes';
import { finishTicketRun, openTicketRun } from './ticketRun';
import type { WorkerEventListener } from './workerEvents';
import type { WorkerEngine } from './workerEngine';

export interface TicketWorkerRequest {
  readonly git: GitClient;
  readonly client: Pick<LlmClient, 'call'>;
  readonly repoRoot: string;
  /** Workspace storage: worktrees/<batch>/<ticket>/ and batches/<id>/transcripts/ live here. */
  readonly storageDir: string;
  readonly workspace: string;
  readonly batchId: string;
  readonly baseCommit: string;
  readonly ticket: WorkerTicket;
  readonly model: string;
  readonly tier: Tier | null;
  /** 'work' for a first attempt, 'fix' for a fix loop in the same worktree. */
  readonly stage: 'work' | 'fix';
  /** 1 for the first run of this ticket, 2.. for fix loops and escalations; goes into the transcript. */
  readonly attempt: number;
  readonly shared: SharedBatchContext;
  readonly limits: WorkerLimits;
  readonly tools: Omit<ToolContext, 'root' | 'signal'>;
  readonly author?: CommitAuthor;
  readonly signal?: AbortSignal;
  readonly onEvent?: WorkerEventListener;
  /** The engine the batch chose (workerEngine.ts); absent: the built-in agent loop. */
  readonly engine?: WorkerEngine;
}

export interface TicketWorkerResult {
  readonly status: 'done' | 'failed' | 'cancelled';
  readonly reason: string;
  readonly summary: string | null;
  readonly branch: string;
  readonly worktree: string;
  /** The ticket branch's new commit, or null when nothing was committed. */
  readonly commit: string | null;
  /** Changes of the whole branch against the base commit (all attempts so far). */
  readonly diffStats: readonly NumstatEntry[];
  /**
   * The same change with its statuses and unified text, from the same git call, when the engine read
   * it (ticketRun.ts does): the review of this attempt covers the same range and uses it as it is.
   */
  readonly changes?: DiffWithCounts;
  readonly turns: number;
  readonly usage: TokenUsage;
  readonly costUsd: number | null;
  readonly transcriptFile: string;
  /** Set when the run failed because a model call failed (rate limits, a bad key …), not because of the work. */
  readonly modelError?: LlmError;
  /** Which engine ran it (absent in results of older callers: the built-in loop). */
  readonly engine?: WorkerEngineName;
}

export const DEFAULT_AUTHOR: CommitAuthor = { name: 'Flotilla', email: 'flotilla@localhost' };

/**
 * Turns one ticket into a commit with Flotilla's own agent loop: a worktree on
 * `flotilla/<batch>/<ticket>` from the base commit, the loop inside it, then a commit of whatever the
 * worker changed (ticketRun.ts, shared with the Claude Code engine).
 */
export async function runTicketWorker(request: TicketWorkerRequest): Promise<TicketWorkerResult> {
  const { ticket, signal, onEvent } = request;
  const { worktree, transcript, transcriptFile, hooksPath } = await openTicketRun(request, 'builtin');
  const meta: CallMeta = { workspace: request.workspace, batchId: request.batchId, ticketId: ticket.id, stage: request.stage, tier: request.tier };
  const loop = await runAgentLoop({
    client: request.client,
    model: request.model,
    meta,
    shared: request.shared,
    ticket,
    tools: { ...request.tools, root: worktree.path, hooksPath },
    limits: request.limits,
    transcript,
    signal,
    onEvent,
  });
  return finishTicketRun(request, worktree, transcriptFile, { ...loop, engine: 'builtin' });
}
