import { SimulatedApiError } from './apiErrors';
import type { Fault } from './simulatorTypes';

/**
 * The faults that replace the whole response with an HTTP error, as the API sends them.
 * Returns undefined for faults that shape a 200 response instead (stream faults, latency, hangs).
 */
export function faultError(fault: Fault, rateLimitHeaders: Record<string, string>, now: number): SimulatedApiError | undefined {
  switch (fault.kind) {
    case 'rate_limit':
      return new SimulatedApiError(
        'rate_limit_error',
        'This request would exceed the rate limit for your organization. Please retry after the time in the retry-after header.',
        { ...rateLimitHeaders, 'anthropic-ratelimit-requests-remaining': '0', 'retry-after': String(fault.retryAfterSeconds) },
      );
    case 'spend_limit': {
      // No retry-after: a spend limit does not clear within seconds, retrying only burns attempts.
      // The stable error code lets the SDK raise its typed EnforcedSpendLimitReachedError.
      const regain = nextMonthStart(now);
      return new SimulatedApiError(
        'rate_limit_error',
        `You have reached your specified API usage limits. You will regain access on ${regain} at 00:00 UTC.`,
        rateLimitHeaders,
        { error_code: 'enforced_spend_limit_reached' },
      );
    }
    case 'overloaded':
      return new SimulatedApiError('overloaded_error', 'Overloaded');
    case 'server_error':
      return new SimulatedApiError('api_error', 'Internal server error');
    case 'http_error':
      return httpError(fault.status);
    default:
      return undefined;
  }
}

function httpError(status: 400 | 401 | 403 | 404): SimulatedApiError {
  switch (status) {
    case 400:
      return new SimulatedApiError('invalid_request_error', 'Simulated invalid request.');
    case 401:
      return new SimulatedApiError('authentication_error', 'invalid x-api-key');
    case 403:
      return new SimulatedApiError('permission_error', 'Your API key does not have permission to use the specified resource.');
    case 404:
      return new SimulatedApiError('not_found_error', 'Not found');
  }
}

function nextMonthStart(now: number): string {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
}

export function faultLatencyMs(fault: Fault | undefined): number {
  return fault?.kind === 'latency' ? fault.ms : 0;
}

/** Text that is neither valid SSE framing nor JSON: a half event, then a data line without an event. */
export const MALFORMED_SSE_TEXT = 'event: message_start\ndata: {"type":"message_start","message":{"id":\n\ndata: <<not json>>\n\n';
