import assert from 'node:assert/strict';
import {
  AuthenticationFailedError,
  CallCancelledError,
  InvalidRequestError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitedError,
  ServerError,
  SpendLimitReachedError,
} from '../../../src/core/llm/llmErrors';
import { DEFAULT_RETRY_POLICY, parseRetryAfterMs, retryDelayMs, type RetryPolicy } from '../../../src/core/llm/retryPolicy';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 5000 };
const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

describe('retryDelayMs', () => {
  it('backs off exponentially with full jitter', () => {
    const top = () => 0.999999;
    assert.equal(retryDelayMs(new ServerError('x'), 1, 0, policy, top), 99);
    assert.equal(retryDelayMs(new ServerError('x'), 2, 0, policy, top), 199);
    assert.equal(retryDelayMs(new ServerError('x'), 3, 0, policy, top), 399);
    assert.equal(retryDelayMs(new OverloadedError('x'), 1, 0, policy, () => 0), 0);
    assert.equal(retryDelayMs(new OverloadedError('x'), 1, 0, policy, () => 0.5), 50);
  });

  it('caps a single delay at maxDelayMs', () => {
    const big: RetryPolicy = { ...policy, maxAttempts: 10, maxTotalWaitMs: 1e9 };
    assert.equal(retryDelayMs(new ServerError('x'), 9, 0, big, () => 0.999999), 999);
  });

  it('stops after maxAttempts', () => {
    assert.equal(retryDelayMs(new ServerError('x'), 4, 0, policy, () => 0.5), null);
  });

  it('honours retry-after as a floor', () => {
    assert.equal(retryDelayMs(new RateLimitedError('x', { retryAfterMs: 2000 }), 1, 0, policy, () => 0), 2000);
    const delay = retryDelayMs(new RateLimitedError('x', { retryAfterMs: 2000 }), 1, 0, policy, () => 0.5);
    assert.equal(delay, 2050);
  });

  it('gives up when the wait would pass the total bound', () => {
    assert.equal(retryDelayMs(new RateLimitedError('x', { retryAfterMs: 4000 }), 1, 1500, policy, () => 0), null);
    assert.equal(retryDelayMs(new RateLimitedError('x', { retryAfterMs: 60_000 }), 1, 0, policy, () => 0), null);
  });

  it('never retries 400/401/403/404, a spend limit, a cancel or a foreign error', () => {
    for (const error of [
      new InvalidRequestError('x'),
      new AuthenticationFailedError('x'),
      new PermissionDeniedError('x'),
      new ModelNotFoundError('x'),
      new SpendLimitReachedError('x'),
      new CallCancelledError('x'),
      new Error('budget'),
    ]) {
      assert.equal(retryDelayMs(error, 1, 0, DEFAULT_RETRY_POLICY, () => 0.5), null, error.constructor.name);
    }
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds, milliseconds and HTTP dates', () => {
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': '3' }), 0), 3000);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '3' }), 0), 250);
    const now = Date.parse('2026-10-24T10:00:00Z');
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': 'Sat, 24 Oct 2026 10:00:05 GMT' }), now), 5000);
  });

  it('ignores absent or nonsense values', () => {
    assert.equal(parseRetryAfterMs(undefined, 0), null);
    assert.equal(parseRetryAfterMs(headers({}), 0), null);
    assert.equal(parseRetryAfterMs(headers({ 'retry-after': 'soon' }), 0), null);
  });
});
