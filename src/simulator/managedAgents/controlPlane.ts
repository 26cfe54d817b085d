import type { z } from 'zod';
import { priceFor } from '../../core/llm/pricing';
import { SimulatedApiError } from '../apiErrors';
import type { SimulatorContext } from '../simulatorContext';
import type { RecordedRequest } from '../simulatorTypes';
import { AgentStore } from './agentStore';
import { EnvironmentStore } from './environmentStore';
import type { ManagedAgentsControl, ManagedAgentsOptions } from './managedAgentsTypes';
import type { sessionCreateSchema, SentEvent } from './requestBodies';
import { acceptToolResult, advanceSession, type TurnContext } from './sessionTurns';
import { SimSession } from './simSession';
import { WorkQueue } from './workQueue';

/** The SDK's worker assumes a 90-second lease until a heartbeat says otherwise. */
const DEFAULT_LEASE_TTL_SECONDS = 90;
const DEFAULT_MAX_TOKENS = 8192;

/**
 * The Managed Agents platform as the simulator plays it: agents, self-hosted environments with their
 * work queues, and sessions whose model turns the simulator's responder plays. HTTP lives in
 * managedAgentsRoutes.ts; this class is the state and its rules.
 */
export class ControlPlane {
  readonly agents: AgentStore;
  readonly environments: EnvironmentStore;
  readonly work: WorkQueue;
  readonly turns: TurnContext;
  private readonly sessions = new Map<string, SimSession>();
  private readonly serial = new Map<string, number>();
  /** Workers seen polling, by environment, with when (for the queue's stats). */
  private readonly pollers = new Map<string, Map<string, number>>();

  constructor(
    private readonly sim: SimulatorContext,
    options: ManagedAgentsOptions = {},
  ) {
    const id = (prefix: string) => () => this.nextId(prefix);
    this.agents = new AgentStore(sim.now, id('agent'));
    this.environments = new EnvironmentStore(sim.now, id('env'));
    this.work = new WorkQueue({ now: sim.now, nextId: id('work'), leaseTtlSeconds: options.leaseTtlSeconds ?? DEFAULT_LEASE_TTL_SECONDS });
    this.turns = { sim, modelTurnMs: options.modelTurnMs ?? 0, maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS, modelRequests: [] as RecordedRequest[] };
  }

  createSession(params: z.infer<typeof sessionCreateSchema>): SimSession {
    const ref = typeof params.agent === 'string' ? { id: params.agent, version: undefined } : params.agent;
    const agent = this.agents.retrieve(ref.id, ref.version);
    if (agent.archived_at) throw new SimulatedApiError('invalid_request_error', `agent ${agent.id} is archived`);
    const environment = this.environments.live(params.environment_id);
    if (params.budget && !hasListPrice(agent.model.id)) {
      throw new SimulatedApiError('invalid_request_error', `budget: model ${agent.model.id} has no public list price (model_not_budgetable)`);
    }
    const session = new SimSession(this.nextId('sesn'), agent, environment.id, params.budget ?? null, params.metadata ?? {}, params.title ?? null, this.sim.now, () => this.nextId('sevt'));
    this.sessions.set(session.id, session);
    // The session's metadata is projected into its work item's (string values, as both are).
    this.work.enqueue(environment.id, session.id, session.metadata);
    for (const message of params.initial_events ?? []) this.sendEvent(session, message);
    return session;
  }

  session(id: string): SimSession {
    const session = this.sessions.get(id);
    if (!session) throw new SimulatedApiError('not_found_error', `session ${id} not found`);
    return session;
  }

  listSessions(): SimSession[] {
    return [...this.sessions.values()];
  }

  /**
   * One client event. A message starts (or queues) a turn and, when no worker holds the session any
   * more, queues a work item for it; a tool result answers a pending call; an interrupt stops the
   * loop after the request in flight and drops the calls still waiting.
   */
  sendEvent(session: SimSession, event: SentEvent): void {
    if (session.terminated) throw new SimulatedApiError('invalid_request_error', `session ${session.id} is terminated and accepts no events`);
    switch (event.type) {
      case 'user.message': {
        if (session.pending.size > 0) throw new SimulatedApiError('invalid_request_error', `session ${session.id} is waiting for the results of ${[...session.pending.keys()].join(', ')}; send them (or user.interrupt) first`);
        session.emit({ type: 'user.message', content: event.content });
        session.queuedMessages.push({ role: 'user', content: event.content });
        if (!this.work.liveItemOf(session.id)) this.work.enqueue(session.environmentId, session.id, session.metadata);
        void advanceSession(this.turns, session).catch(() => undefined);
        return;
      }
      case 'user.interrupt': {
        session.emit({ type: 'user.interrupt' });
        if (session.running) {
          session.interruptRequested = true;
          return;
        }
        session.pending.clear();
        session.results.length = 0;
        session.setStatus('idle', { stop_reason: { type: 'end_turn' }, stop_details: null });
        return;
      }
      case 'user.custom_tool_result':
      case 'user.tool_result': {
        const id = event.type === 'user.custom_tool_result' ? event.custom_tool_use_id : event.tool_use_id;
        if (!session.pending.has(id)) throw new SimulatedApiError('invalid_request_error', `${id} is not a tool call of session ${session.id} waiting for a result`);
        session.emit(event.type === 'user.custom_tool_result' ? { type: 'user.custom_tool_result', custom_tool_use_id: id, content: event.content as never, is_error: event.is_error ?? false } : { type: 'user.tool_result', tool_use_id: id, content: event.content as never, is_error: event.is_error ?? false });
        acceptToolResult(this.turns, session, id, event.content, event.is_error ?? false);
        return;
      }
    }
  }

  /** Archived sessions are terminated: no more turns, and their worker is told to stop. */
  archive(session: SimSession): void {
    if (session.archivedAt) return;
    session.archivedAt = new Date(this.sim.now()).toISOString();
    this.terminate(session);
  }

  delete(session: SimSession): void {
    this.terminate(session);
    session.emit({ type: 'session.deleted' });
    this.sessions.delete(session.id);
  }

  notePoller(environmentId: string, workerId: string | null): void {
    if (!workerId) return;
    const seen = this.pollers.get(environmentId) ?? new Map<string, number>();
    seen.set(workerId, this.sim.now());
    this.pollers.set(environmentId, seen);
  }

  workersPolling(environmentId: string): number {
    const since = this.sim.now() - 30_000;
    return [...(this.pollers.get(environmentId)?.values() ?? [])].filter((at) => at >= since).length;
  }

  control(): ManagedAgentsControl {
    const work = this.work;
    const modelRequests = this.turns.modelRequests;
    return {
      environmentKey: (id) => this.environments.key(id),
      session: (id) => {
        const s = this.session(id);
        const c = s.tally.cache;
        return { wire: s.wire(), events: [...s.events], billed: { requests: s.tally.requests, inputTokens: c.inputTokens, outputTokens: s.tally.outputTokens, cacheWrite5mTokens: c.cacheWrite5mTokens, cacheWrite1hTokens: c.cacheWrite1hTokens, cacheReadTokens: c.cacheReadTokens } };
      },
      sessionIds: () => this.listSessions().map((s) => s.id),
      workOf: (id) => work.itemsOf(id).map((item) => ({ work: item, claims: work.claimsOf(item.id) })),
      get reclaims() {
        return work.reclaims;
      },
      modelRequests,
    };
  }

  private terminate(session: SimSession): void {
    session.pending.clear();
    session.queuedMessages.length = 0;
    if (!session.terminated) session.setStatus('terminated');
    this.work.requestStop(session.id);
  }

  private nextId(prefix: string): string {
    const n = (this.serial.get(prefix) ?? 0) + 1;
    this.serial.set(prefix, n);
    return `${prefix}_sim${String(n).padStart(6, '0')}`;
  }
}

/** The platform prices by its public list; the simulator's list is the one core/llm/pricing.ts holds. */
function hasListPrice(model: string): boolean {
  return priceFor(model) !== undefined;
}
