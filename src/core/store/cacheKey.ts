import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { USAGE_RECORD_VERSION, type Stage, type Tier, type UsageRecord } from '../llm/usageRecord';
import { isNotFound } from './atomicJson';

/** What a cached answer is for; each kind ages at its own pace. */
export const CACHE_KINDS = ['classification', 'planning', 'review', 'exploration', 'architecture', 'security'] as const;
export type CacheKind = (typeof CACHE_KINDS)[number];

const HOUR = 3_600_000;

/**
 * Time to live per kind. review, exploration, architecture and security are the design study's
 * defaults; classification follows review (same inputs, same stability) and planning follows
 * exploration (a plan reads the whole repo map, which moves fast).
 */
export const DEFAULT_CACHE_TTL_MS: Readonly<Record<CacheKind, number>> = {
  classification: 24 * HOUR,
  planning: 1 * HOUR,
  review: 24 * HOUR,
  exploration: 1 * HOUR,
  architecture: 48 * HOUR,
  security: 6 * HOUR,
};

/** A deterministic call whose answer may be reused. */
export interface CacheRequest {
  readonly kind: CacheKind;
  readonly stage: Stage;
  readonly model: string;
  readonly prompt: string;
  /** Files the answer depends on: a change to any of them makes the cached answer stale. */
  readonly dependsOn: readonly string[];
}

/**
 * The lookup key: kind, stage, model, prompt and the dependency paths. File contents are not in the
 * key on purpose: they are stored in the entry and checked on read, so a changed file finds its stale
 * entry and evicts it at once instead of leaving it to age out under a key nobody asks for again.
 */
export function cacheKey(request: CacheRequest): string {
  const deps = [...new Set(request.dependsOn)].sort();
  return sha256(JSON.stringify([request.kind, request.stage, request.model, request.prompt, deps]));
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of a file's bytes; a missing file has a hash too, so creating it later invalidates. */
export type FileHasher = (path: string) => Promise<string>;

export const hashFileContents: FileHasher = async (path) => {
  try {
    return sha256(await readFile(path));
  } catch (error) {
    if (isNotFound(error)) return 'missing';
    throw error;
  }
};

export async function hashDependencies(paths: readonly string[], hashFile: FileHasher): Promise<Record<string, string>> {
  const unique = [...new Set(paths)].sort();
  const hashes = await Promise.all(unique.map(hashFile));
  return Object.fromEntries(unique.map((p, i) => [p, hashes[i]!]));
}

export interface CachedCallMeta {
  readonly workspace: string;
  readonly batchId: string;
  readonly ticketId: string | null;
  readonly stage: Stage;
  readonly model: string;
  readonly tier: Tier | null;
}

/** The ledger record for an answer served from the response cache: cached, nothing billed, cost 0. */
export function cachedUsageRecord(meta: CachedCallMeta, latencyMs: number, nowMs: number): UsageRecord {
  return {
    v: USAGE_RECORD_VERSION,
    ts: new Date(nowMs).toISOString(),
    ...meta,
    inputTokens: 0,
    outputTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
    costUsd: 0,
    latencyMs: Math.max(0, latencyMs),
    requestId: null,
    cached: true,
    attempt: 1,
  };
}
