import { createHash } from 'node:crypto';
import type { CacheTtl, PromptSegment } from './promptSegments';

export const TTL_MS: Readonly<Record<CacheTtl, number>> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };

/** How far before a breakpoint the API looks for an earlier cached prefix (in blocks). */
export const LOOKBACK_BLOCKS = 20;

export interface CacheUsage {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
}

interface CacheEntry {
  expiresAt: number;
  ttlMs: number;
}

/** What a request would read and write; computed without touching the cache so limits can refuse it first. */
export interface CachePlan {
  model: string;
  usage: CacheUsage;
  refresh: string[]; // keys of live entries the request reads (a read restarts their TTL)
  writes: { key: string; ttl: CacheTtl }[];
}

/**
 * Prompt-cache accounting that follows the API's rules: the prefix up to a breakpoint is an exact
 * match over canonical blocks; the longest live prefix at a breakpoint (or up to LOOKBACK_BLOCKS
 * before it) is read; later breakpoints whose whole prefix reaches the model's minimum are written;
 * everything after the last read/written breakpoint is plain input. Each model has its own cache.
 */
export class PromptCache {
  private readonly byModel = new Map<string, Map<string, CacheEntry>>();

  plan(model: string, minCacheableTokens: number, segments: readonly PromptSegment[], now: number): CachePlan {
    const entries = this.byModel.get(model) ?? new Map<string, CacheEntry>();
    const keys = prefixKeys(segments);
    const cumulative = cumulativeTokens(segments);
    const total = cumulative.at(-1) ?? 0;
    const isLive = (i: number): boolean => {
      const entry = entries.get(keys[i] ?? '');
      return entry !== undefined && entry.expiresAt > now;
    };

    const breakpoints = segments.flatMap((s, i) => (s.breakpoint ? [i] : []));
    let readEnd = -1;
    for (const b of breakpoints) {
      for (let i = b; i >= Math.max(0, b - LOOKBACK_BLOCKS) && i > readEnd; i--) {
        if (isLive(i)) {
          readEnd = i;
          break;
        }
      }
    }
    const readTokens = readEnd >= 0 ? (cumulative[readEnd] ?? 0) : 0;

    const usage: CacheUsage = { inputTokens: 0, cacheReadTokens: readTokens, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
    const writes: CachePlan['writes'] = [];
    let boundary = readTokens;
    for (const b of breakpoints) {
      const upTo = cumulative[b] ?? 0;
      const ttl = segments[b]?.breakpoint;
      if (b <= readEnd || !ttl || upTo < minCacheableTokens) continue;
      if (ttl === '1h') usage.cacheWrite1hTokens += upTo - boundary;
      else usage.cacheWrite5mTokens += upTo - boundary;
      boundary = upTo;
      writes.push({ key: keys[b] ?? '', ttl });
    }
    usage.inputTokens = total - boundary;

    const refresh: string[] = [];
    for (let i = 0; i <= readEnd; i++) if (isLive(i)) refresh.push(keys[i] ?? '');
    return { model, usage, refresh, writes };
  }

  commit(plan: CachePlan, now: number): void {
    let entries = this.byModel.get(plan.model);
    if (!entries) {
      entries = new Map();
      this.byModel.set(plan.model, entries);
    }
    for (const key of plan.refresh) {
      const entry = entries.get(key);
      if (entry) entry.expiresAt = now + entry.ttlMs;
    }
    for (const { key, ttl } of plan.writes) entries.set(key, { expiresAt: now + TTL_MS[ttl], ttlMs: TTL_MS[ttl] });
  }
}

/** A chained hash per position, so the key at i identifies the exact prefix 0..i. */
function prefixKeys(segments: readonly PromptSegment[]): string[] {
  const keys: string[] = [];
  let previous = '';
  for (const segment of segments) {
    previous = createHash('sha256').update(previous).update('\u0000').update(segment.canonical).digest('hex');
    keys.push(previous);
  }
  return keys;
}

function cumulativeTokens(segments: readonly PromptSegment[]): number[] {
  let sum = 0;
  return segments.map((s) => (sum += s.tokens));
}
