import type { IncomingMessage } from 'node:http';
import { SimulatedApiError } from '../apiErrors';
import type { ControlPlane } from './controlPlane';

/** Who is calling, by the credential the request carries. */
export type Caller =
  /** An API key (x-api-key), or a bearer token the platform does not know as anything narrower. */
  | { readonly kind: 'api-key' }
  /** An environment's key: its work queue and the sessions that run in it. */
  | { readonly kind: 'environment'; readonly environmentId: string }
  /** A work item's sessions token (from the poll's `secret`): that item and its session only. */
  | { readonly kind: 'work-item'; readonly environmentId: string; readonly workId: string; readonly sessionId: string };

export function callerOf(plane: ControlPlane, req: IncomingMessage): Caller {
  if (req.headers['x-api-key']) return { kind: 'api-key' };
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  if (!bearer) return { kind: 'api-key' };
  const environmentId = plane.environments.environmentOfKey(bearer);
  if (environmentId) return { kind: 'environment', environmentId };
  const item = plane.work.itemOfToken(bearer);
  if (item) return { kind: 'work-item', environmentId: item.environment_id, workId: item.id, sessionId: item.data.id };
  return { kind: 'api-key' };
}

/** Poll, ack and the queue's list take the environment's own key, and nothing else. */
export function requireEnvironmentKey(caller: Caller, environmentId: string): void {
  if (caller.kind === 'environment' && caller.environmentId === environmentId) return;
  throw new SimulatedApiError('authentication_error', `this endpoint accepts the key of environment ${environmentId} as a bearer token`);
}

/** Heartbeat and stop: the environment's key, or the item's own sessions token. */
export function requireItemCredential(caller: Caller, environmentId: string, workId: string): void {
  if (caller.kind === 'environment' && caller.environmentId === environmentId) return;
  if (caller.kind === 'work-item' && caller.workId === workId) return;
  if (caller.kind === 'api-key') return;
  throw new SimulatedApiError('authentication_error', `this credential does not hold work ${workId}`);
}

/** A session's endpoints: an API key, the key of its environment, or a sessions token issued for it. */
export function requireSessionAccess(caller: Caller, session: { id: string; environmentId: string }): void {
  if (caller.kind === 'api-key') return;
  if (caller.kind === 'environment' && caller.environmentId === session.environmentId) return;
  if (caller.kind === 'work-item' && caller.sessionId === session.id) return;
  throw new SimulatedApiError('authentication_error', `this credential gives no access to session ${session.id}`);
}

/** Creating and managing agents, environments and sessions takes an API key. */
export function requireApiKey(caller: Caller): void {
  if (caller.kind !== 'api-key') throw new SimulatedApiError('permission_error', 'this endpoint accepts an API key, not an environment key or a work item secret');
}
