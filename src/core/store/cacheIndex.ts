import { z } from 'zod';
import { CACHE_KINDS } from './cacheKey';

export const CACHE_INDEX_VERSION = 1;

export const cacheIndexEntrySchema = z.object({
  kind: z.enum(CACHE_KINDS),
  bytes: z.number().int().nonnegative(),
  createdAt: z.number(),
  /** Use counter, not a time: LRU order survives a clock that jumps. */
  lastUsed: z.number().int().nonnegative(),
});
export type CacheIndexEntry = z.infer<typeof cacheIndexEntrySchema>;

export const cacheStatsSchema = z.object({
  hits: z.number().int().nonnegative(),
  misses: z.number().int().nonnegative(),
  evictions: z.number().int().nonnegative(),
});
export type CacheStats = z.infer<typeof cacheStatsSchema>;

export const cacheIndexSchema = z.object({
  v: z.literal(CACHE_INDEX_VERSION),
  seq: z.number().int().nonnegative(),
  entries: z.record(z.string(), cacheIndexEntrySchema),
  stats: cacheStatsSchema,
});
export type CacheIndex = z.infer<typeof cacheIndexSchema>;

export function emptyCacheIndex(): CacheIndex {
  return { v: CACHE_INDEX_VERSION, seq: 0, entries: {}, stats: { hits: 0, misses: 0, evictions: 0 } };
}

export function totalBytes(index: CacheIndex): number {
  return Object.values(index.entries).reduce((sum, e) => sum + e.bytes, 0);
}

/** Keys to evict, least recently used first, until the index fits in `maxBytes`. */
export function lruVictims(index: CacheIndex, maxBytes: number): string[] {
  let bytes = totalBytes(index);
  if (bytes <= maxBytes) return [];
  const victims: string[] = [];
  for (const [key, entry] of Object.entries(index.entries).sort((a, b) => a[1].lastUsed - b[1].lastUsed)) {
    if (bytes <= maxBytes) break;
    victims.push(key);
    bytes -= entry.bytes;
  }
  return victims;
}

/**
 * Whether an entry has outlived its kind's TTL. An entry stamped in the future (written while the
 * clock ran ahead) has an age nobody can know, so it counts as expired rather than fresh forever.
 */
export function isExpired(entry: CacheIndexEntry, ttlMs: number, nowMs: number, skewMs = 60_000): boolean {
  if (entry.createdAt > nowMs + skewMs) return true;
  return Math.max(0, nowMs - entry.createdAt) > ttlMs;
}
