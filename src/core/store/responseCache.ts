import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { silentLogger, type Logger } from '../logger';
import { isNotFound, readJsonFile, writeJsonAtomic } from './atomicJson';
import { emptyCacheIndex, isExpired, lruVictims, totalBytes, cacheIndexSchema, type CacheIndex, type CacheStats } from './cacheIndex';
import { CACHE_KINDS, cacheKey, DEFAULT_CACHE_TTL_MS, hashDependencies, hashFileContents, type CacheKind, type CacheRequest, type FileHasher } from './cacheKey';
import { KeyedMutex } from './keyedMutex';
import { cacheDir } from './storagePaths';

export interface ResponseCacheOptions {
  /** Workspace storage; the cache lives under `<storage>/cache/`. */
  storage: string;
  clock?: () => number;
  ttlMs?: Partial<Record<CacheKind, number>>;
  /** Size cap over all entry files; least recently used entries go first. Default 64 MB. */
  maxBytes?: number;
  hashFile?: FileHasher;
  logger?: Logger;
}

const entrySchema = z.object({
  v: z.literal(1),
  key: z.string(),
  kind: z.enum(CACHE_KINDS),
  createdAt: z.number(),
  deps: z.record(z.string(), z.string()),
  value: z.unknown(),
});

export interface CacheStatsView extends CacheStats {
  /** hits / (hits + misses), 0 before the first lookup. */
  readonly hitRate: number;
  readonly entries: number;
  readonly bytes: number;
}

/**
 * Answers of deterministic stages (classification, planning, reviews), one JSON file per key under
 * `cache/entries/`, with an index for TTL, LRU order, size and hit statistics. A changed dependency
 * file, an expired TTL or an entry that fails its schema is a miss and is evicted.
 *
 * Several windows may share workspace storage; each keeps its own view of the index and the last
 * writer wins. That can only lose index entries (a later miss), never serve a wrong answer, because
 * every hit re-checks the entry file and its dependency hashes.
 */
export class ResponseCache {
  private index: CacheIndex | null = null;
  private readonly mutex = new KeyedMutex();
  private readonly clock: () => number;
  private readonly maxBytes: number;
  private readonly hashFile: FileHasher;
  private readonly logger: Logger;
  private readonly ttl: Record<CacheKind, number>;

  constructor(private readonly options: ResponseCacheOptions) {
    this.clock = options.clock ?? Date.now;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.hashFile = options.hashFile ?? hashFileContents;
    this.logger = options.logger ?? silentLogger;
    this.ttl = { ...DEFAULT_CACHE_TTL_MS, ...options.ttlMs };
  }

  /** The cached answer, validated by `schema`, or null (miss). */
  get<T>(request: CacheRequest, schema: z.ZodType<T>): Promise<T | null> {
    return this.mutex.run('cache', () => this.lookup(request, schema));
  }

  /** Stores an answer; `depHashes` from before the call keeps a file edited during the call from hiding. */
  put(request: CacheRequest, value: unknown, depHashes?: Record<string, string>): Promise<void> {
    return this.mutex.run('cache', async () => {
      const deps = depHashes ?? (await hashDependencies(request.dependsOn, this.hashFile));
      await this.store(request, value, deps);
    });
  }

  /** Returns the cached answer, or computes, stores and returns a fresh one; `hit` says which. */
  async getOrCompute<T>(request: CacheRequest, schema: z.ZodType<T>, compute: () => Promise<T>): Promise<{ value: T; hit: boolean }> {
    const depHashes = await hashDependencies(request.dependsOn, this.hashFile);
    const cached = await this.get(request, schema);
    if (cached !== null) return { value: cached, hit: true };
    const value = await compute();
    await this.put(request, value, depHashes);
    return { value, hit: false };
  }

  async stats(): Promise<CacheStatsView> {
    const index = await this.loadIndex();
    const { hits, misses } = index.stats;
    return { ...index.stats, hitRate: hits + misses === 0 ? 0 : hits / (hits + misses), entries: Object.keys(index.entries).length, bytes: totalBytes(index) };
  }

  private async lookup<T>(request: CacheRequest, schema: z.ZodType<T>): Promise<T | null> {
    const index = await this.loadIndex();
    const key = cacheKey(request);
    const meta = index.entries[key];
    const miss = async (why: string | null): Promise<null> => {
      index.stats.misses++;
      if (why !== null) {
        this.logger.debug(`cache ${request.kind} miss: ${why}`);
        await this.evict(index, key);
      }
      await this.saveIndex(index);
      return null;
    };
    if (meta === undefined) return miss(null);
    if (isExpired(meta, this.ttl[meta.kind], this.clock())) return miss('expired');
    const entry = await this.readEntry(key);
    if (entry === null) return miss('entry file missing or unreadable');
    const now = await hashDependencies(Object.keys(entry.deps), this.hashFile);
    if (Object.entries(entry.deps).some(([path, hash]) => now[path] !== hash)) return miss('a dependency file changed');
    const parsed = schema.safeParse(entry.value);
    if (!parsed.success) return miss('cached value no longer matches its schema');
    index.stats.hits++;
    meta.lastUsed = ++index.seq;
    await this.saveIndex(index);
    return parsed.data;
  }

  private async store(request: CacheRequest, value: unknown, deps: Record<string, string>): Promise<void> {
    const index = await this.loadIndex();
    const key = cacheKey(request);
    const now = this.clock();
    const body = { v: 1, key, kind: request.kind, createdAt: now, deps, value };
    const bytes = Buffer.byteLength(JSON.stringify(body, null, 2)) + 1;
    if (bytes > this.maxBytes) {
      this.logger.debug(`cache ${request.kind}: an answer of ${bytes} bytes is larger than the whole cache; not stored`);
      return;
    }
    await mkdir(this.entriesDir(), { recursive: true });
    await writeJsonAtomic(this.entryPath(key), body);
    index.entries[key] = { kind: request.kind, bytes, createdAt: now, lastUsed: ++index.seq };
    for (const victim of lruVictims(index, this.maxBytes)) await this.evict(index, victim);
    await this.saveIndex(index);
  }

  private async evict(index: CacheIndex, key: string): Promise<void> {
    if (!(key in index.entries)) return;
    delete index.entries[key];
    index.stats.evictions++;
    await unlink(this.entryPath(key)).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  private async readEntry(key: string): Promise<z.infer<typeof entrySchema> | null> {
    try {
      const parsed = entrySchema.safeParse(JSON.parse(await readFile(this.entryPath(key), 'utf8')));
      return parsed.success && parsed.data.key === key ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private async loadIndex(): Promise<CacheIndex> {
    if (this.index !== null) return this.index;
    const result = await readJsonFile(this.indexPath(), cacheIndexSchema, this.clock);
    if (result.kind === 'quarantined') {
      this.logger.warn(`The response cache index was unreadable (${result.problem.message}); moved to ${result.problem.movedTo ?? '?'}, starting empty.`);
    }
    this.index = result.kind === 'ok' ? result.value : emptyCacheIndex();
    return this.index;
  }

  private saveIndex(index: CacheIndex): Promise<void> {
    return writeJsonAtomic(this.indexPath(), index);
  }

  private indexPath(): string {
    return join(cacheDir(this.options.storage), 'index.json');
  }

  private entriesDir(): string {
    return join(cacheDir(this.options.storage), 'entries');
  }

  private entryPath(key: string): string {
    return join(this.entriesDir(), `${key}.json`);
  }
}
