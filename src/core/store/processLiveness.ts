import { hostname } from 'node:os';
import type { BatchOwner } from './batchState';

/** What the store needs to know about processes; injected so tests can play any crash. */
export interface ProcessProbe {
  readonly hostname: string;
  readonly pid: number;
  /** Start time of this process (ms since epoch). */
  readonly startedAtMs: number;
  isAlive(pid: number): boolean;
}

export const nodeProcessProbe: ProcessProbe = {
  hostname: hostname(),
  pid: process.pid,
  startedAtMs: Date.now() - process.uptime() * 1000,
  isAlive(pid: number): boolean {
    try {
      // Signal 0 checks existence without touching the process.
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but belongs to someone else, so it is alive.
      return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
    }
  },
};

export function ownerFor(probe: ProcessProbe, nowMs: number): BatchOwner {
  return {
    pid: probe.pid,
    hostname: probe.hostname,
    processStartedAt: new Date(probe.startedAtMs).toISOString(),
    heartbeatAt: new Date(nowMs).toISOString(),
  };
}

/** Default: an owner that has not refreshed its heartbeat for two minutes is taken as gone. */
export const DEFAULT_STALE_AFTER_MS = 120_000;

/**
 * Whether the process that owns a running batch is gone.
 * - Same host, our own pid: alive only if it is really us (same start time); containers reuse low pids.
 * - Same host, another pid: gone if no such process; if one exists it may be a reused pid, so a stale
 *   heartbeat also counts as gone.
 * - Another host (a shared storage folder): only the heartbeat can tell.
 * A heartbeat from the future (the clock jumped back) counts as fresh: age is never negative.
 */
export function isOwnerGone(owner: BatchOwner, probe: ProcessProbe, nowMs: number, staleAfterMs = DEFAULT_STALE_AFTER_MS): boolean {
  const heartbeatAge = Math.max(0, nowMs - Date.parse(owner.heartbeatAt));
  const stale = heartbeatAge > staleAfterMs;
  if (owner.hostname !== probe.hostname) return stale;
  if (owner.pid === probe.pid) return Date.parse(owner.processStartedAt) !== new Date(probe.startedAtMs).getTime();
  if (!probe.isAlive(owner.pid)) return true;
  return stale;
}
