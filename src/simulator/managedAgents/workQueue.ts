import { randomBytes } from 'node:crypto';
import type { BetaSelfHostedWork, BetaSelfHostedWorkHeartbeatResponse, BetaSelfHostedWorkQueueStats } from '@anthropic-ai/sdk/resources/beta/environments/work';
import { SimulatedApiError } from '../apiErrors';
import { iso } from './wirePages';

/** What the heartbeat's precondition compares when the item has no heartbeat yet (the SDK's sentinel). */
const NO_HEARTBEAT = 'NO_HEARTBEAT';

interface Entry {
  work: BetaSelfHostedWork;
  /** When a poll last handed the item out; a delivered item nobody acknowledged is handed out again later. */
  deliveredAt: number | null;
  /** Lease: the last acknowledgement or heartbeat, and how long it lasts. */
  leaseFrom: number | null;
  ttlSeconds: number;
  /** The per-item credential the poll's `secret` carries; valid for this item's session only. */
  sessionsToken: string;
  /** Who claimed it, in order (the simulator's knowledge, for tests: the API keeps no such list). */
  claims: { workerId: string | null; at: number }[];
}

export interface WorkQueueOptions {
  readonly now: () => number;
  readonly nextId: () => string;
  /** Lease length in seconds unless a heartbeat asks for another (desired_ttl_seconds). */
  readonly leaseTtlSeconds: number;
}

/**
 * The work queues of self-hosted environments: one item per session that needs a worker, handed out
 * by poll, taken by ack, kept by heartbeats. A lease that lapses (no heartbeat within its TTL: the
 * worker died) puts the item back in the queue for another worker, and the old holder's next
 * heartbeat is refused (412), so two workers never serve one session.
 */
export class WorkQueue {
  private readonly entries = new Map<string, Entry>();
  private waiters = new Set<() => void>();
  /** Items whose lease lapsed and that went back to the queue (tests read it). */
  reclaims = 0;

  constructor(private readonly options: WorkQueueOptions) {}

  /** Queues an item for a session (at creation, or when a dormant session gets a new message). */
  enqueue(environmentId: string, sessionId: string, metadata: Record<string, string>): BetaSelfHostedWork {
    const work: BetaSelfHostedWork = {
      id: this.options.nextId(),
      type: 'work',
      environment_id: environmentId,
      data: { type: 'session', id: sessionId },
      metadata: { ...metadata },
      state: 'queued',
      secret: null,
      created_at: iso(this.options.now()),
      acknowledged_at: null,
      started_at: null,
      latest_heartbeat_at: null,
      stop_requested_at: null,
      stopped_at: null,
    };
    this.entries.set(work.id, { work, deliveredAt: null, leaseFrom: null, ttlSeconds: this.options.leaseTtlSeconds, sessionsToken: `sk-ant-sst01-sim${randomBytes(18).toString('base64url')}`, claims: [] });
    this.wake();
    return work;
  }

  /** The item a session's work is in, while it is live (not stopped). */
  liveItemOf(sessionId: string): BetaSelfHostedWork | undefined {
    this.sweep();
    return [...this.entries.values()].find((e) => e.work.data.id === sessionId && e.work.state !== 'stopped')?.work;
  }

  /**
   * Hands out the oldest queued item, waiting up to `blockMs` for one. An item delivered earlier but
   * never acknowledged is handed out again once `reclaimOlderThanMs` (default: the lease TTL) passed.
   */
  async poll(environmentId: string, workerId: string | null, blockMs: number, reclaimOlderThanMs: number | null, delay: (ms: number) => Promise<void>): Promise<BetaSelfHostedWork | null> {
    const deadline = this.options.now() + Math.min(Math.max(blockMs, 0), 999);
    for (;;) {
      const found = this.take(environmentId, workerId, reclaimOlderThanMs);
      if (found) return found;
      const left = deadline - this.options.now();
      if (left <= 0) return null;
      // Woken by a new item; leases that lapse meanwhile are found by the next look.
      await Promise.race([delay(Math.min(left, 100)), new Promise<void>((resolve) => this.waiters.add(resolve))]);
    }
  }

  ack(environmentId: string, workId: string): BetaSelfHostedWork {
    const entry = this.entry(environmentId, workId);
    if (entry.work.state !== 'queued' || entry.deliveredAt === null) throw new SimulatedApiError('conflict_error', `work ${workId} is ${entry.work.state}, not waiting for an acknowledgement`);
    const now = this.options.now();
    entry.work = { ...entry.work, state: 'starting', acknowledged_at: iso(now) };
    entry.leaseFrom = now;
    return entry.work;
  }

  /**
   * Extends the lease when `expected` is the heartbeat the caller last saw (the SDK sends
   * NO_HEARTBEAT before its first); anything else means someone else holds the lease now: 412 with
   * the lease as the server holds it.
   */
  heartbeat(environmentId: string, workId: string, expected: string | null, desiredTtlSeconds: number | null): BetaSelfHostedWorkHeartbeatResponse {
    const entry = this.entry(environmentId, workId);
    const { work } = entry;
    const stored = work.latest_heartbeat_at ?? NO_HEARTBEAT;
    const holdsLease = work.state === 'starting' || work.state === 'active' || work.state === 'stopping';
    if (!holdsLease || (expected ?? NO_HEARTBEAT) !== stored) {
      throw new SimulatedApiError('precondition_failed_error', `expected_last_heartbeat does not match: another worker may hold work ${workId}`, {}, {
        error_code: 'heartbeat_precondition_failed',
        current_state: { last_heartbeat: work.latest_heartbeat_at, lease_extended: false, state: work.state, ttl_seconds: entry.ttlSeconds },
      });
    }
    if (work.state === 'stopping') return { type: 'work_heartbeat', last_heartbeat: stored === NO_HEARTBEAT ? '' : stored, lease_extended: false, state: 'stopping', ttl_seconds: entry.ttlSeconds };
    const now = this.beatTime(stored);
    if (desiredTtlSeconds !== null && desiredTtlSeconds > 0) entry.ttlSeconds = desiredTtlSeconds;
    entry.leaseFrom = now;
    entry.work = { ...work, state: 'active', started_at: work.started_at ?? iso(now), latest_heartbeat_at: iso(now) };
    return { type: 'work_heartbeat', last_heartbeat: iso(now), lease_extended: true, state: 'active', ttl_seconds: entry.ttlSeconds };
  }

  /** force: stopped now; otherwise `stopping`, which the holder's next heartbeat learns. A stopped item is a 409. */
  stop(environmentId: string, workId: string, force: boolean): BetaSelfHostedWork {
    const entry = this.entry(environmentId, workId);
    if (entry.work.state === 'stopped') throw new SimulatedApiError('conflict_error', `work ${workId} is already stopped`);
    const at = iso(this.options.now());
    const idle = entry.work.state === 'queued';
    entry.work = force || idle ? { ...entry.work, state: 'stopped', stopped_at: at, stop_requested_at: entry.work.stop_requested_at ?? at } : { ...entry.work, state: 'stopping', stop_requested_at: at };
    return entry.work;
  }

  /** The platform asks a session's worker to stop (the session ended): a queued item simply stops. */
  requestStop(sessionId: string): void {
    for (const entry of this.entries.values()) {
      if (entry.work.data.id === sessionId && entry.work.state !== 'stopped' && entry.work.state !== 'stopping') this.stop(entry.work.environment_id, entry.work.id, false);
    }
  }

  retrieve(environmentId: string, workId: string): BetaSelfHostedWork {
    return this.entry(environmentId, workId).work;
  }

  update(environmentId: string, workId: string, patch: Record<string, string | null>): BetaSelfHostedWork {
    const entry = this.entry(environmentId, workId);
    const metadata = { ...entry.work.metadata };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete metadata[key];
      else metadata[key] = value;
    }
    entry.work = { ...entry.work, metadata };
    return entry.work;
  }

  list(environmentId: string): BetaSelfHostedWork[] {
    this.sweep();
    return [...this.entries.values()].filter((e) => e.work.environment_id === environmentId).map((e) => e.work);
  }

  stats(environmentId: string, workersPolling: number): BetaSelfHostedWorkQueueStats {
    const queued = this.list(environmentId).filter((w) => w.state === 'queued');
    const pending = [...this.entries.values()].filter((e) => e.work.environment_id === environmentId && e.work.state === 'queued' && e.deliveredAt !== null).length;
    const oldest = queued.map((w) => w.created_at).sort()[0] ?? null;
    return { type: 'work_queue_stats', depth: queued.length - pending, pending, oldest_queued_at: oldest, workers_polling: workersPolling };
  }

  /** Which work item a per-item credential belongs to. */
  itemOfToken(token: string): BetaSelfHostedWork | undefined {
    return [...this.entries.values()].find((e) => e.sessionsToken === token)?.work;
  }

  /** Who claimed an item, in order: a lapsed lease shows as a second claim by another worker. */
  claimsOf(workId: string): readonly { workerId: string | null; at: number }[] {
    return this.entries.get(workId)?.claims ?? [];
  }

  /** Every item of a session, oldest first. */
  itemsOf(sessionId: string): BetaSelfHostedWork[] {
    return [...this.entries.values()].filter((e) => e.work.data.id === sessionId).map((e) => e.work);
  }

  private take(environmentId: string, workerId: string | null, reclaimOlderThanMs: number | null): BetaSelfHostedWork | undefined {
    this.sweep();
    const now = this.options.now();
    for (const entry of this.entries.values()) {
      if (entry.work.environment_id !== environmentId || entry.work.state !== 'queued') continue;
      const reclaimAfter = reclaimOlderThanMs ?? entry.ttlSeconds * 1000;
      if (entry.deliveredAt !== null && now - entry.deliveredAt < reclaimAfter) continue;
      entry.deliveredAt = now;
      entry.claims.push({ workerId, at: now });
      return { ...entry.work, secret: Buffer.from(JSON.stringify({ sessions_token: entry.sessionsToken })).toString('base64url') };
    }
    return undefined;
  }

  /** Leases that lapsed go back to the queue, with no heartbeat on record: the next holder starts afresh. */
  private sweep(): void {
    const now = this.options.now();
    for (const entry of this.entries.values()) {
      const { state } = entry.work;
      if ((state !== 'starting' && state !== 'active') || entry.leaseFrom === null) continue;
      if (now - entry.leaseFrom <= entry.ttlSeconds * 1000) continue;
      entry.work = { ...entry.work, state: 'queued', acknowledged_at: null, started_at: null, latest_heartbeat_at: null };
      entry.deliveredAt = null;
      entry.leaseFrom = null;
      this.reclaims += 1;
      this.wake();
    }
  }

  /** A heartbeat's time, never equal to the one before (it is the lease's identity). */
  private beatTime(previous: string): number {
    const now = this.options.now();
    return previous !== NO_HEARTBEAT && Date.parse(previous) >= now ? Date.parse(previous) + 1 : now;
  }

  private entry(environmentId: string, workId: string): Entry {
    this.sweep();
    const entry = this.entries.get(workId);
    if (!entry || entry.work.environment_id !== environmentId) throw new SimulatedApiError('not_found_error', `work ${workId} not found in environment ${environmentId}`);
    return entry;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const resolve of waiting) resolve();
  }
}
