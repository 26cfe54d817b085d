import { join } from 'node:path';
import type { AgentLoopResult } from './agentLoop';
import { commitAll } from '../git/commit';
import { diffWithCounts, type DiffWithCounts } from '../git/diff';
import { configuredHooksPath } from '../git/hooksPath';
import { addTicketWorktree, type TicketWorktree } from '../git/worktrees';
import type { WorkerEngineName } from '../llm/usageRecord';
import { dropExecutableConfigChanges } from './executableConfigChanges';
import { DEFAULT_AUTHOR, type TicketWorkerRequest, type TicketWorkerResult } from './runTicketWorker';
import { Transcript } from './transcript';

/** How an engine's run ended, before anything is committed: the built-in loop's result shape, naming the engine. */
export interface EngineRunOutcome extends AgentLoopResult {
  readonly engine: WorkerEngineName;
}

export interface OpenedTicketRun {
  readonly worktree: TicketWorktree;
  readonly transcript: Transcript;
  readonly transcriptFile: string;
  /** The repository's core.hooksPath, which the engine's write tools must keep out of (writeConfinement.ts). */
  readonly hooksPath: string | null;
}

/**
 * The start every engine shares: the ticket's worktree on `flotilla/<batch>/<ticket>` (a reattached
 * one is reset, since the branch holds only finished work) and its transcript with a start line.
 */
export async function openTicketRun(request: TicketWorkerRequest, engine: WorkerEngineName): Promise<OpenedTicketRun> {
  const { git, ticket, signal } = request;
  request.onEvent?.({ kind: 'phase', message: `preparing worktree for ${ticket.id}` });
  const worktree = await addTicketWorktree(git, { repoRoot: request.repoRoot, storageDir: request.storageDir, batchId: request.batchId, ticketId: ticket.id, baseCommit: request.baseCommit }, { signal });
  if (worktree.resumed) {
    // A worktree left by an interrupted run may hold half-done edits; the branch holds only finished work.
    await git.run(worktree.path, ['reset', '--hard', '--quiet'], { signal });
    await git.run(worktree.path, ['clean', '-fdq'], { signal });
  }
  const transcriptFile = join(request.storageDir, 'batches', request.batchId, 'transcripts', `${ticket.id}.jsonl`);
  const transcript = new Transcript(transcriptFile);
  await transcript.write({ kind: 'start', ticketId: ticket.id, model: request.model, tier: request.tier, attempt: request.attempt, worktree: worktree.path, engine });
  const hooksPath = await configuredHooksPath(git, worktree.path, { signal });
  return { worktree, transcript, transcriptFile, hooksPath };
}

/**
 * The end every engine shares: a finished run's changes become one commit on the ticket branch; a
 * failed or cancelled run commits nothing (its edits stay in the worktree for inspection), so the
 * branch only ever holds finished work.
 */
export async function finishTicketRun(request: TicketWorkerRequest, worktree: TicketWorktree, transcriptFile: string, run: EngineRunOutcome): Promise<TicketWorkerResult> {
  const { git, ticket } = request;
  const base = { branch: worktree.branch, worktree: worktree.path, summary: run.summary, turns: run.turns, usage: run.usage, costUsd: run.costUsd, transcriptFile, engine: run.engine, ...(run.modelError ? { modelError: run.modelError } : {}) };
  if (run.status !== 'finished') {
    const changes = await branchChanges(request, worktree.path);
    return { ...base, status: run.status === 'cancelled' ? 'cancelled' : 'failed', reason: run.reason, commit: null, diffStats: changes.counts, changes };
  }
  const dropped = await dropExecutableConfigChanges(git, worktree.path, { hooksPath: await configuredHooksPath(git, worktree.path) });
  if (dropped.length > 0) {
    const message = `left out of the commit, as workers may not change executable configuration: ${dropped.map((d) => d.path).join(', ')} (written by a command or a gate, not by a write tool)`;
    request.onEvent?.({ kind: 'phase', message });
    await new Transcript(transcriptFile).write({ kind: 'engine', turn: run.turns, event: 'dropped-config-changes', detail: dropped });
  }
  request.onEvent?.({ kind: 'phase', message: 'committing' });
  const message = `${ticket.id}: ${ticket.title}\n\n${run.summary ?? ''}\n\nFlotilla batch ${request.batchId}, ${request.model}`.trim();
  const commit = await commitAll(git, worktree.path, message, request.author ?? DEFAULT_AUTHOR);
  const changes = await branchChanges(request, worktree.path);
  if (commit === null && changes.counts.length === 0) {
    return { ...base, status: 'failed', reason: 'the worker finished without changing any file', commit: null, diffStats: changes.counts, changes };
  }
  return { ...base, status: 'done', reason: run.summary ?? 'finished', commit, diffStats: changes.counts, changes };
}

/** The branch against the base commit, read once for the result's stats and for the review that follows. */
function branchChanges(request: TicketWorkerRequest, worktree: string): Promise<DiffWithCounts> {
  return diffWithCounts(request.git, worktree, { from: request.baseCommit, to: 'HEAD' });
}
