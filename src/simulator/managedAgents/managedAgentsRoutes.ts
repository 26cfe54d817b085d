import { SimulatedApiError } from '../apiErrors';
import { sendJson } from '../httpIo';
import { parseRequest } from '../requestSchema';
import type { Exchange } from '../simulatorContext';
import { callerOf, requireApiKey, requireEnvironmentKey, requireItemCredential, requireSessionAccess, type Caller } from './callerCredential';
import type { ControlPlane } from './controlPlane';
import { streamSessionEvents } from './eventStream';
import { agentCreateSchema, agentUpdateSchema, environmentCreateSchema, sendEventsSchema, sessionCreateSchema, workStopSchema } from './requestBodies';
import { pageOf } from './wirePages';

const BETA = 'managed-agents-2026-04-01';

/** True for the paths the control plane serves (the rest of the simulator serves the Messages API). */
export function isManagedAgentsPath(path: string): boolean {
  return /^\/v1\/(agents|environments|sessions)(\/|$)/.test(path);
}

/** Routes one request of the control plane; every refusal is a SimulatedApiError the server turns into the API's error. */
export async function routeManagedAgents(plane: ControlPlane, ex: Exchange, url: URL, closing: AbortSignal): Promise<void> {
  const beta = ex.req.headers['anthropic-beta'];
  if (!(Array.isArray(beta) ? beta.join(',') : (beta ?? '')).split(',').map((b) => b.trim()).includes(BETA)) {
    throw new SimulatedApiError('invalid_request_error', `anthropic-beta: this endpoint is in beta; send ${BETA}`);
  }
  const caller = callerOf(plane, ex.req);
  const method = ex.req.method ?? 'GET';
  const parts = url.pathname.replace(/\/+$/, '').split('/').slice(2).map(decodeURIComponent);
  const reply = (body: unknown) => sendJson(ex.res, 200, body, ex.headers);
  const [resource] = parts;
  if (resource === 'agents') return reply(agentRoute(plane, caller, method, parts.slice(1), ex.record.body, url.searchParams));
  if (resource === 'environments' && parts[2] === 'work') return reply(await workRoute(plane, caller, method, parts[1] as string, parts.slice(3), ex, url.searchParams));
  if (resource === 'environments') return reply(environmentRoute(plane, caller, method, parts.slice(1), ex.record.body, url.searchParams));
  if (resource === 'sessions' && parts[2] === 'events' && parts[3] === 'stream' && method === 'GET') {
    const session = plane.session(parts[1] as string);
    requireSessionAccess(caller, session);
    return streamSessionEvents(session, ex.res, ex.headers, closing);
  }
  return reply(sessionRoute(plane, caller, method, parts.slice(1), ex.record.body, url.searchParams));
}

function agentRoute(plane: ControlPlane, caller: Caller, method: string, rest: string[], body: unknown, query: URLSearchParams): unknown {
  requireApiKey(caller);
  const [id, action] = rest;
  if (id === undefined) {
    if (method === 'POST') return plane.agents.create(parseRequest(agentCreateSchema, body));
    if (method === 'GET') return pageOf(plane.agents.list(query.get('include_archived') === 'true'), query);
  } else if (action === undefined) {
    if (method === 'GET') return plane.agents.retrieve(id, query.has('version') ? Number(query.get('version')) : undefined);
    if (method === 'POST') return plane.agents.update(id, parseRequest(agentUpdateSchema, body));
  } else if (action === 'archive' && method === 'POST') return plane.agents.archive(id);
  else if (action === 'versions' && method === 'GET') return pageOf(plane.agents.history(id), query);
  throw notFound(method, ['agents', ...rest]);
}

function environmentRoute(plane: ControlPlane, caller: Caller, method: string, rest: string[], body: unknown, query: URLSearchParams): unknown {
  requireApiKey(caller);
  const [id, action] = rest;
  if (id === undefined) {
    if (method === 'POST') return plane.environments.create(parseRequest(environmentCreateSchema, body));
    if (method === 'GET') return pageOf(plane.environments.list(query.get('include_archived') === 'true'), query);
  } else if (action === undefined) {
    if (method === 'GET') return plane.environments.retrieve(id);
    if (method === 'DELETE') {
      plane.environments.delete(id);
      return { id, type: 'environment_deleted' };
    }
  } else if (action === 'archive' && method === 'POST') return plane.environments.archive(id);
  throw notFound(method, ['environments', ...rest]);
}

async function workRoute(plane: ControlPlane, caller: Caller, method: string, environmentId: string, rest: string[], ex: Exchange, query: URLSearchParams): Promise<unknown> {
  plane.environments.retrieve(environmentId);
  const [workId, action] = rest;
  if (workId === 'poll' && method === 'GET') {
    requireEnvironmentKey(caller, environmentId);
    plane.environments.live(environmentId);
    const workerId = headerValue(ex, 'anthropic-worker-id');
    plane.notePoller(environmentId, workerId);
    const reclaim = query.get('reclaim_older_than_ms');
    return plane.work.poll(environmentId, workerId, Number(query.get('block_ms') ?? 0), reclaim === null ? null : Number(reclaim), plane.turns.sim.delay);
  }
  if (workId === 'stats' && method === 'GET') {
    requireApiKey(caller);
    return plane.work.stats(environmentId, plane.workersPolling(environmentId));
  }
  if (workId === undefined && method === 'GET') {
    requireEnvironmentKey(caller, environmentId);
    return pageOf(plane.work.list(environmentId), query);
  }
  if (workId !== undefined && action === undefined && method === 'GET') {
    requireApiKey(caller);
    return plane.work.retrieve(environmentId, workId);
  }
  if (workId !== undefined && action === undefined && method === 'POST') {
    requireApiKey(caller);
    const patch = (ex.record.body as { metadata?: Record<string, string | null> } | undefined)?.metadata ?? {};
    return plane.work.update(environmentId, workId, patch);
  }
  if (workId !== undefined && action === 'ack' && method === 'POST') {
    requireEnvironmentKey(caller, environmentId);
    return plane.work.ack(environmentId, workId);
  }
  if (workId !== undefined && action === 'heartbeat' && method === 'POST') {
    requireItemCredential(caller, environmentId, workId);
    const ttl = query.get('desired_ttl_seconds');
    return plane.work.heartbeat(environmentId, workId, query.get('expected_last_heartbeat'), ttl === null ? null : Number(ttl));
  }
  if (workId !== undefined && action === 'stop' && method === 'POST') {
    requireItemCredential(caller, environmentId, workId);
    return plane.work.stop(environmentId, workId, parseRequest(workStopSchema, ex.record.body)?.force === true);
  }
  throw notFound(method, ['environments', environmentId, 'work', ...rest]);
}

function sessionRoute(plane: ControlPlane, caller: Caller, method: string, rest: string[], body: unknown, query: URLSearchParams): unknown {
  const [id, action] = rest;
  if (id === undefined) {
    requireApiKey(caller);
    if (method === 'POST') return plane.createSession(parseRequest(sessionCreateSchema, body)).wire();
    if (method === 'GET') return pageOf(listedSessions(plane, query), query);
    throw notFound(method, ['sessions']);
  }
  const session = plane.session(id);
  requireSessionAccess(caller, session);
  if (action === undefined && method === 'GET') return session.wire();
  if (action === 'events' && method === 'GET') {
    const events = query.get('order') === 'desc' ? [...session.events].reverse() : session.events;
    return pageOf(events, query);
  }
  if (action === 'events' && method === 'POST') {
    const { events } = parseRequest(sendEventsSchema, body);
    const before = session.events.length;
    for (const event of events) plane.sendEvent(session, event);
    return { data: session.events.slice(before).filter((e) => e.type.startsWith('user.')) };
  }
  requireApiKey(caller);
  if (action === 'archive' && method === 'POST') {
    plane.archive(session);
    return session.wire();
  }
  if (action === undefined && method === 'DELETE') {
    plane.delete(session);
    return { id, type: 'session_deleted' };
  }
  throw notFound(method, ['sessions', ...rest]);
}

/** GET /v1/sessions: newest first unless asked otherwise, filtered by agent and status; archived ones only on request. */
function listedSessions(plane: ControlPlane, query: URLSearchParams) {
  const statuses = query.getAll('statuses[]').concat(query.getAll('statuses'));
  const agentId = query.get('agent_id');
  const sessions = plane
    .listSessions()
    .filter((s) => query.get('include_archived') === 'true' || s.archivedAt === null)
    .filter((s) => agentId === null || s.agent.id === agentId)
    .filter((s) => statuses.length === 0 || statuses.includes(s.status))
    .map((s) => s.wire());
  return query.get('order') === 'asc' ? sessions : sessions.reverse();
}

function headerValue(ex: Exchange, name: string): string | null {
  const value = ex.req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function notFound(method: string, parts: string[]): SimulatedApiError {
  return new SimulatedApiError('not_found_error', `Not found: ${method} /v1/${parts.join('/')}`);
}
