import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from '../../store/atomicJson';
import { cacheDir } from '../../store/storagePaths';
import { errorMessage } from '../../errorText';
import type { Logger } from '../../logger';

/**
 * GitHub answers a request that repeats the last ETag (`If-None-Match`) with 304 Not Modified, which
 * costs no rate limit; the client then serves the body it kept. Keys are the method and the full URL,
 * never a header: the token is not part of any key or entry.
 */
export interface CachedResponse {
  readonly etag: string;
  /** The `link` header (pagination) of the cached answer, so a 304 page still leads to the next. */
  readonly link: string | null;
  readonly data: unknown;
  readonly storedAt: string;
}

export interface ConditionalCache {
  /** Reads the stored entries once, before the first get. */
  ready(): Promise<void>;
  get(key: string): CachedResponse | undefined;
  set(key: string, entry: CachedResponse): void;
  /** Writes what changed since the last save (the client saves after each listing or write). */
  save(): Promise<void>;
}

/** The most answers kept; the oldest go first. A listing of a few hundred issues is a handful of pages. */
const MAX_ENTRIES = 1_000;

const cacheFileSchema = z.object({
  v: z.literal(1),
  entries: z.record(z.string(), z.object({ etag: z.string(), link: z.string().nullable(), data: z.unknown(), storedAt: z.string() })),
});

/** `cache/github/responses.json` in workspace storage (the CLI's --storage folder). */
export function githubCacheFile(storage: string): string {
  return join(cacheDir(storage), 'github', 'responses.json');
}

export function memoryConditionalCache(): ConditionalCache {
  const entries = new Map<string, CachedResponse>();
  return {
    ready: async () => undefined,
    get: (key) => entries.get(key),
    set: (key, entry) => void entries.set(key, entry),
    save: async () => undefined,
  };
}

/**
 * The cache kept in a file. Read once on first use; a file that does not parse is quarantined by
 * readJsonFile and the cache starts empty (it is only a cache: the next listing costs the rate limit once).
 */
export function fileConditionalCache(file: string, logger?: Logger): ConditionalCache {
  let entries: Map<string, CachedResponse> | undefined;
  let loading: Promise<Map<string, CachedResponse>> | undefined;
  let dirty = false;
  const load = async (): Promise<Map<string, CachedResponse>> => {
    const read = await readJsonFile(file, cacheFileSchema).catch((error: unknown) => {
      logger?.warn(`The GitHub response cache ${file} could not be read (${errorMessage(error)}); starting without it`);
      return { kind: 'missing' } as const;
    });
    if (read.kind === 'quarantined') logger?.warn(`The GitHub response cache ${file} was ${read.problem.message}; moved to ${read.problem.movedTo}`);
    return new Map(read.kind === 'ok' ? Object.entries(read.value.entries).map(([key, entry]) => [key, entry as CachedResponse]) : []);
  };
  return {
    async ready(): Promise<void> {
      entries ??= await (loading ??= load());
    },
    get(key: string): CachedResponse | undefined {
      return entries?.get(key);
    },
    set(key: string, entry: CachedResponse): void {
      if (!entries) return;
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      dirty = true;
    },
    async save(): Promise<void> {
      if (!entries || !dirty) return;
      dirty = false;
      await writeJsonAtomic(file, { v: 1, entries: Object.fromEntries(entries) });
    },
  };
}
