import { WORKER_ENGINE_LABELS, type UsageRecord, type WorkerEngineName } from '../llm/usageRecord';
import type { WorkerEvent } from '../worker/workerEvents';
import type { TicketAction, TicketRow } from './panelSnapshot';
import { isActiveRunState, isFinalRunState, lifecycleOf, type Decision, type TicketLifecycle, type TicketRunState } from '../vocabulary/ticketStates';

/**
 * The fields of a ticket's record the panel reads. A running batch's TicketRecord has them all; a
 * record read back from state.json supplies the same (src/core/panel/storedBatchInput.ts).
 */
export interface RowSource {
  readonly id: string;
  readonly title: string;
  readonly complexityClass: string;
  readonly score: number | null;
  readonly tier: string | null;
  readonly model: string;
  readonly reason: string;
  readonly state: TicketRunState;
  readonly detail: string;
  readonly fixLoops: number;
  readonly escalations: number;
  readonly tierHistory: readonly { readonly tier: string | null; readonly model: string }[];
  readonly review: { readonly level: string; readonly result: string; readonly findings: number } | null;
  readonly costUsd: number | null;
  readonly tokens: number;
  readonly diffStats: readonly { readonly path: string; readonly added: number | null; readonly deleted: number | null }[];
  /** Each work, fix and review stage; work and fix name their engine. */
  readonly stages?: readonly { readonly engine?: WorkerEngineName }[];
}

export type GateCell = { readonly name: string; readonly status: string };

/** Which buttons a row offers; the commands behind them check again. */
export function actionsFor(lifecycle: TicketLifecycle, batchRunning: boolean, live: boolean): TicketAction[] {
  const rerun: TicketAction[] = batchRunning ? ['setModel'] : ['retry', 'setModel'];
  switch (lifecycle) {
    case 'queued':
    case 'waiting':
    case 'running':
    case 'gates':
      return live ? ['cancel'] : ['setModel'];
    case 'awaitingReview':
      return ['review', 'accept', 'reject', ...rerun];
    case 'accepted':
      return ['review'];
    default:
      return rerun;
  }
}

interface TokenTally {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  costUsd: number | null;
  calls: number;
}

/** One ticket of the current batch: its latest record, its own usage records as they land, its live progress. */
export class TicketRowFold {
  private source: RowSource;
  private state: TicketRunState;
  /** Its batch was cut off (a crash) before this ticket finished. */
  private interrupted = false;
  private readonly usage: TokenTally = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, costUsd: 0, calls: 0 };
  private progress: TicketRow['progress'] = null;
  gates: readonly GateCell[] = [];
  decision: Decision | null = null;

  constructor(source: RowSource) {
    this.source = source;
    this.state = source.state;
  }

  get id(): string {
    return this.source.id;
  }

  get rowState(): TicketRunState {
    return this.state;
  }

  /** Finished, or cut off with its batch: nothing more will happen to it in this batch. */
  get finished(): boolean {
    return this.interrupted || isFinalRunState(this.state);
  }

  lifecycle(waitingOn: readonly string[] = []): TicketLifecycle {
    return lifecycleOf(this.state, { decision: this.decision, interrupted: this.interrupted, waitingOn });
  }

  get tier(): string | null {
    return this.source.tier;
  }

  /** A new record: returns the state before it, so the caller can tell a transition from a refresh. */
  update(source: RowSource): TicketRunState {
    const before = this.state;
    this.source = source;
    this.state = source.state;
    if (this.state !== 'running') this.progress = null;
    return before;
  }

  addUsage(record: UsageRecord): void {
    const u = this.usage;
    u.input += record.inputTokens;
    u.output += record.outputTokens;
    u.cacheRead += record.cacheReadTokens;
    u.cacheWrite += record.cacheWrite5mTokens + record.cacheWrite1hTokens;
    // An unpriced call makes the ticket's cost unknown, never a guess.
    u.costUsd = u.costUsd === null || record.costUsd === null ? null : u.costUsd + record.costUsd;
    u.calls += 1;
  }

  /** Turn n of max and the last tool, while a worker runs. Returns whether anything shown changed. */
  onWorker(event: WorkerEvent, maxTurns: number): boolean {
    const p = this.progress ?? { turn: 0, maxTurns, tool: null, phase: null };
    if (event.kind === 'turn') this.progress = { ...p, turn: event.turn, maxTurns, tool: null };
    else if (event.kind === 'tool') this.progress = { ...p, turn: Math.max(p.turn, event.turn), tool: event.summary ? `${event.name} ${event.summary}` : event.name };
    else if (event.kind === 'phase') this.progress = { ...p, phase: event.message };
    else return false;
    return true;
  }

  /** The batch it belongs to stopped without a final word (a crash): a running ticket is interrupted. */
  interrupt(): void {
    if (isActiveRunState(this.state)) this.interrupted = true;
    this.progress = null;
  }

  /** `waitingOn`: the tickets of the batch it depends on that are not done yet; `batchEngine`: the engine the batch chose. */
  row(batchRunning: boolean, live: boolean, waitingOn: readonly string[] = [], batchEngine: WorkerEngineName | null = null): TicketRow {
    const s = this.source;
    const u = this.usage;
    const final = this.finished;
    // A final record's cost is the batch tally's, which the report shows; while running, the records seen so far.
    const costUsd = final || u.calls === 0 ? s.costUsd : u.costUsd;
    const measured = u.input + u.output + u.cacheRead + u.cacheWrite;
    const tierPath = s.tierHistory.map((c) => c.tier ?? c.model);
    const lifecycle = this.lifecycle(this.state === 'queued' ? waitingOn : []);
    return {
      id: s.id,
      title: s.title,
      complexityClass: s.complexityClass,
      score: s.score,
      tier: s.tier,
      model: s.model,
      engine: engineLabel(s.stages?.findLast((stage) => stage.engine !== undefined)?.engine ?? batchEngine),
      reason: s.reason,
      tierPath: tierPath.length > 0 ? tierPath : [s.tier ?? s.model],
      state: this.state,
      lifecycle,
      waitingOn: this.state === 'queued' ? [...waitingOn] : [],
      detail: s.detail,
      progress: this.state === 'running' ? this.progress : null,
      tokens: { input: u.input, output: u.output, cacheRead: u.cacheRead, cacheWrite: u.cacheWrite, total: Math.max(s.tokens, measured) },
      costUsd,
      fixLoops: s.fixLoops,
      escalations: s.escalations,
      gates: [...this.gates],
      review: s.review ? { level: s.review.level, result: s.review.result, findings: Math.max(0, Math.trunc(s.review.findings)) } : null,
      decision: this.decision,
      files: s.diffStats.map((f) => ({ path: f.path, added: f.added, deleted: f.deleted })),
      actions: actionsFor(lifecycle, batchRunning, live),
    };
  }
}

function engineLabel(engine: WorkerEngineName | null): string | null {
  return engine === null ? null : WORKER_ENGINE_LABELS[engine];
}
