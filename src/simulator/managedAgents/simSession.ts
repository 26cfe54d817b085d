import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { BetaManagedAgentsBudgetLimit, BetaManagedAgentsSession } from '@anthropic-ai/sdk/resources/beta/sessions/sessions';
import { emptyTally, usageSnapshot, type ConversationTurn, type SessionTally } from './sessionRequest';
import { iso } from './wirePages';

/** An event before the session gives it its id and time (distributive, so each member keeps its own fields). */
export type NewEvent = BetaManagedAgentsSessionEvent extends infer E ? (E extends BetaManagedAgentsSessionEvent ? Omit<E, 'id' | 'processed_at'> : never) : never;

export type SessionStatus = BetaManagedAgentsSession['status'];

/**
 * One session's state on the platform: its pinned agent version, its event history (which is the
 * record clients list and stream), the conversation the model sees, the tool calls waiting for a
 * result, and its usage. The model loop (sessionTurns.ts) drives it.
 */
export class SimSession {
  readonly events: BetaManagedAgentsSessionEvent[] = [];
  readonly conversation: ConversationTurn[] = [];
  /** Tool calls of the last turn that have no result yet, by event id. */
  readonly pending = new Map<string, { name: string }>();
  /** Results received for the pending calls, in the order they came. */
  readonly results: Record<string, unknown>[] = [];
  /** User messages that came while the model was working; they start the next turn. */
  readonly queuedMessages: ConversationTurn[] = [];
  readonly tally: SessionTally = emptyTally();
  status: SessionStatus = 'idle';
  running = false;
  interruptRequested = false;
  archivedAt: string | null = null;
  private runningSince: number | null = null;
  private readonly subscribers = new Set<(event: BetaManagedAgentsSessionEvent) => void>();
  private readonly createdAt: number;
  private updatedAt: number;

  constructor(
    readonly id: string,
    readonly agent: BetaManagedAgentsAgent,
    readonly environmentId: string,
    readonly budget: BetaManagedAgentsBudgetLimit | null,
    readonly metadata: Record<string, string>,
    readonly title: string | null,
    private readonly now: () => number,
    private readonly nextEventId: () => string,
  ) {
    this.createdAt = now();
    this.updatedAt = this.createdAt;
  }

  /** Records an event in the history and sends it to every open stream. */
  emit(event: NewEvent): BetaManagedAgentsSessionEvent {
    const full = { ...event, id: this.nextEventId(), processed_at: iso(this.now()) } as BetaManagedAgentsSessionEvent;
    this.events.push(full);
    this.updatedAt = this.now();
    for (const send of this.subscribers) send(full);
    return full;
  }

  subscribe(send: (event: BetaManagedAgentsSessionEvent) => void): () => void {
    this.subscribers.add(send);
    return () => this.subscribers.delete(send);
  }

  get terminated(): boolean {
    return this.status === 'terminated';
  }

  /** running ↔ idle ↔ terminated, with the event the API sends for each and the active time kept. */
  setStatus(status: SessionStatus, idle?: Pick<Extract<NewEvent, { type: 'session.status_idle' }>, 'stop_reason' | 'stop_details'>): void {
    const now = this.now();
    if (this.runningSince !== null && status !== 'running') {
      this.tally.activeMs += now - this.runningSince;
      this.runningSince = null;
    }
    if (status === 'running' && this.runningSince === null) this.runningSince = now;
    if (status === this.status && status !== 'idle') return;
    this.status = status;
    if (status === 'running') this.emit({ type: 'session.status_running' });
    else if (status === 'terminated') this.emit({ type: 'session.status_terminated' });
    else if (status === 'idle' && idle) this.emit({ type: 'session.status_idle', ...idle });
  }

  /** Active time so far, the running stretch included. */
  activeMs(): number {
    return this.tally.activeMs + (this.runningSince === null ? 0 : this.now() - this.runningSince);
  }

  /** The API's view of the session. */
  wire(): BetaManagedAgentsSession {
    const usage = usageSnapshot(this.tally, this.activeMs());
    return {
      id: this.id,
      type: 'session',
      agent: (({ archived_at: _a, created_at: _c, updated_at: _u, metadata: _m, ...snapshot }) => ({ ...snapshot, multiagent: null }))(this.agent),
      environment_id: this.environmentId,
      status: this.status,
      budget: this.budget,
      metadata: { ...this.metadata },
      title: this.title,
      archived_at: this.archivedAt,
      created_at: iso(this.createdAt),
      updated_at: iso(this.updatedAt),
      usage,
      stats: { active_seconds: usage.active_seconds ?? 0, duration_seconds: (this.now() - this.createdAt) / 1000 },
      outcome_evaluations: [],
      resources: [],
      vault_ids: [],
    };
  }
}
