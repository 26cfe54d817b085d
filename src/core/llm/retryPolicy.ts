import { z } from 'zod';
import { LlmError, RateLimitedError } from './llmErrors';

/** Bounds on our own retries (the SDK's are switched off so that every attempt is recorded). */
export const retryPolicySchema = z.object({
  /** Attempts in all, the first included. */
  maxAttempts: z.number().int().min(1).max(10).default(4),
  baseDelayMs: z.number().int().min(0).default(500),
  maxDelayMs: z.number().int().min(0).default(30_000),
  /** Sum of all waits for one call; a retry-after beyond it gives up instead of stalling a worker. */
  maxTotalWaitMs: z.number().int().min(0).default(120_000),
});

export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});

/** Uniform in [0, 1), like Math.random; injected so tests fix the jitter. */
export type Random = () => number;

/**
 * How long to wait before the next attempt, or null to stop and surface the error.
 * `attempt` is the attempt that just failed (1-based); `waitedMs` what this call has already waited.
 * Backoff is exponential with full jitter (uniform in [0, cap]) so parallel workers that failed
 * together do not retry together. A server's retry-after is a floor, never shortened.
 */
export function retryDelayMs(error: unknown, attempt: number, waitedMs: number, policy: RetryPolicy, random: Random): number | null {
  if (!(error instanceof LlmError) || !error.retryable) return null;
  if (attempt >= policy.maxAttempts) return null;
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.floor(random() * cap);
  const delay =
    error instanceof RateLimitedError && error.retryAfterMs !== null
      ? error.retryAfterMs + Math.floor(random() * policy.baseDelayMs)
      : jitter;
  return waitedMs + delay > policy.maxTotalWaitMs ? null : delay;
}

/** `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date) → milliseconds. */
export function parseRetryAfterMs(headers: HeaderReader | undefined, now: number): number | null {
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = headers.get('retry-after');
  if (raw === null || raw.trim() === '') return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** The part of the Fetch `Headers` interface we read; plain objects in tests implement it too. */
export interface HeaderReader {
  get(name: string): string | null;
}
