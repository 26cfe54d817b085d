import { SimulatedApiError } from './apiErrors';

const WINDOW_MS = 60_000;

/** Limits reported in headers when none are configured: high enough never to bite, like a large org tier. */
const UNCONFIGURED_RPM = 4_000;
const UNCONFIGURED_ITPM = 2_000_000;

export interface RateLimits {
  requestsPerMinute?: number;
  inputTokensPerMinute?: number;
}

interface Admitted {
  at: number;
  inputTokens: number;
}

/**
 * A sliding one-minute window over admitted /v1/messages requests. Input tokens count what the
 * ITPM limit counts for current models: uncached input plus cache writes, not cache reads.
 * Limits are only enforced when configured; the headers are always sent.
 */
export class RateLimiter {
  private admitted: Admitted[] = [];

  constructor(private readonly limits: RateLimits = {}) {}

  /** Throws the API's 429 (with retry-after) when admitting this request would cross a limit. */
  admit(inputTokens: number, now: number): void {
    this.prune(now);
    const { requestsPerMinute: rpm, inputTokensPerMinute: itpm } = this.limits;
    if (rpm !== undefined && this.admitted.length + 1 > rpm) {
      throw this.limitError(now, 'requests', `This request would exceed the rate limit for your organization of ${rpm} requests per minute.`);
    }
    if (itpm !== undefined && this.inputTokensUsed() + inputTokens > itpm) {
      throw this.limitError(now, 'input tokens', `This request would exceed the rate limit for your organization of ${itpm} input tokens per minute.`);
    }
    this.admitted.push({ at: now, inputTokens });
  }

  /** The anthropic-ratelimit-* headers, reflecting the window after this request. */
  headers(now: number): Record<string, string> {
    this.prune(now);
    const rpm = this.limits.requestsPerMinute ?? UNCONFIGURED_RPM;
    const itpm = this.limits.inputTokensPerMinute ?? UNCONFIGURED_ITPM;
    const reset = new Date(this.resetAt(now)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const inputRemaining = Math.max(0, itpm - this.inputTokensUsed());
    return {
      'anthropic-ratelimit-requests-limit': String(rpm),
      'anthropic-ratelimit-requests-remaining': String(Math.max(0, rpm - this.admitted.length)),
      'anthropic-ratelimit-requests-reset': reset,
      'anthropic-ratelimit-input-tokens-limit': String(itpm),
      'anthropic-ratelimit-input-tokens-remaining': String(inputRemaining),
      'anthropic-ratelimit-input-tokens-reset': reset,
      'anthropic-ratelimit-tokens-limit': String(itpm),
      'anthropic-ratelimit-tokens-remaining': String(inputRemaining),
      'anthropic-ratelimit-tokens-reset': reset,
    };
  }

  private limitError(now: number, what: string, message: string): SimulatedApiError {
    const retryAfter = Math.max(1, Math.ceil((this.resetAt(now) - now) / 1000));
    return new SimulatedApiError('rate_limit_error', `${message} (${what})`, {
      ...this.headers(now),
      'retry-after': String(retryAfter),
    });
  }

  /** When the oldest admitted request leaves the window (the next capacity becomes free). */
  private resetAt(now: number): number {
    const oldest = this.admitted[0];
    return oldest ? oldest.at + WINDOW_MS : now;
  }

  private inputTokensUsed(): number {
    return this.admitted.reduce((sum, a) => sum + a.inputTokens, 0);
  }

  private prune(now: number): void {
    this.admitted = this.admitted.filter((a) => a.at + WINDOW_MS > now);
  }
}
