import { join } from 'node:path';
import type { GitClient } from '../git/gitClient';
import { commitAll, type CommitAuthor } from '../git/commit';
import { diffNumstat, type NumstatEntry } from '../git/diff';
import { addTicketWorktree } from '../git/worktrees';
import type { CallMeta, LlmClient } from '../llm/llmClient';
import type { LlmError } from '../llm/llmErrors';
import type { TokenUsage } from '../llm/cost';
import type { Tier } from '../llm/usageRecord';
import { runAgentLoop, type WorkerLimits } from './agentLoop';
import type { SharedBatchContext, WorkerTicket } from './promptLayout';
import type { ToolContext } from './tools/toolTypes';
import { Transcript } from './transcript';
import type { WorkerEventListener } from './workerEvents';

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
  readonly turns: number;
  readonly usage: TokenUsage;
  readonly costUsd: number | null;
  readonly transcriptFile: string;
  /** Set when the run failed because a model call failed (rate limits, a bad key …), not because of the work. */
  readonly modelError?: LlmError;
}

export const DEFAULT_AUTHOR: CommitAuthor = { name: 'Flotilla', email: 'flotilla@localhost' };

/**
 * Turns one ticket into a commit: a worktree on `flotilla/<batch>/<ticket>` from the base commit, the
 * agent loop inside it, then a commit of whatever the worker changed. A failed or cancelled run
 * commits nothing, so the branch only ever holds finished work.
 */
export async function runTicketWorker(request: TicketWorkerRequest): Promise<TicketWorkerResult> {
  const { git, ticket, signal, onEvent } = request;
  onEvent?.({ kind: 'phase', message: `preparing worktree for ${ticket.id}` });
  const worktree = await addTicketWorktree(git, {
    repoRoot: request.repoRoot,
    storageDir: request.storageDir,
    batchId: request.batchId,
    ticketId: ticket.id,
    baseCommit: request.baseCommit,
  }, { signal });
  if (worktree.resumed) {
    // A worktree left by an interrupted run may hold half-done edits; the branch holds only finished work.
    await git.run(worktree.path, ['reset', '--hard', '--quiet'], { signal });
    await git.run(worktree.path, ['clean', '-fdq'], { signal });
  }
  const transcriptFile = join(request.storageDir, 'batches', request.batchId, 'transcripts', `${ticket.id}.jsonl`);
  const transcript = new Transcript(transcriptFile);
  await transcript.write({ kind: 'start', ticketId: ticket.id, model: request.model, tier: request.tier, attempt: request.attempt, worktree: worktree.path });

  const meta: CallMeta = { workspace: request.workspace, batchId: request.batchId, ticketId: ticket.id, stage: request.stage, tier: request.tier };
  const loop = await runAgentLoop({
    client: request.client,
    model: request.model,
    meta,
    shared: request.shared,
    ticket,
    tools: { ...request.tools, root: worktree.path },
    limits: request.limits,
    transcript,
    signal,
    onEvent,
  });

  const base = { branch: worktree.branch, worktree: worktree.path, summary: loop.summary, turns: loop.turns, usage: loop.usage, costUsd: loop.costUsd, transcriptFile, ...(loop.modelError ? { modelError: loop.modelError } : {}) };
  if (loop.status !== 'finished') {
    // Leave the branch at its last good commit; the half-done edits stay in the worktree for inspection.
    return { ...base, status: loop.status === 'cancelled' ? 'cancelled' : 'failed', reason: loop.reason, commit: null, diffStats: await branchStats(request, worktree.path) };
  }
  onEvent?.({ kind: 'phase', message: 'committing' });
  const message = `${ticket.id}: ${ticket.title}\n\n${loop.summary ?? ''}\n\nFlotilla batch ${request.batchId}, ${request.model}`.trim();
  const commit = await commitAll(git, worktree.path, message, request.author ?? DEFAULT_AUTHOR);
  const diffStats = await branchStats(request, worktree.path);
  if (commit === null && diffStats.length === 0) {
    return { ...base, status: 'failed', reason: 'the worker finished without changing any file', commit: null, diffStats };
  }
  return { ...base, status: 'done', reason: loop.summary ?? 'finished', commit, diffStats };
}

function branchStats(request: TicketWorkerRequest, worktree: string): Promise<NumstatEntry[]> {
  return diffNumstat(request.git, worktree, { from: request.baseCommit, to: 'HEAD' });
}
