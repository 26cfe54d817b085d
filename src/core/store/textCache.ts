import { z } from 'zod';
import type { Stage } from '../llm/usageRecord';
import type { CacheKind } from './cacheKey';
import type { ResponseCache } from './responseCache';

/** A string-to-string cache with the lifetime rules of one kind of answer (reviews, planning). */
export interface TextCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/**
 * The response cache seen as a text cache for callers that build their own complete keys (the
 * review and planning keys already hash model, prompt and inputs). TTL, size cap and LRU come from
 * the ResponseCache; `kind` picks the TTL (review 24 h, planning 1 h by default).
 */
export function textCacheOver(cache: ResponseCache, kind: CacheKind, stage: Stage): TextCache {
  const request = (key: string) => ({ kind, stage, model: '', prompt: key, dependsOn: [] });
  return {
    get: async (key) => (await cache.get(request(key), z.string())) ?? undefined,
    set: (key, value) => cache.put(request(key), value),
  };
}
