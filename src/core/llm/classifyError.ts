import type { APIError } from '@anthropic-ai/sdk';
import { anthropicSdk } from './anthropicSdk';
import {
  AuthenticationFailedError,
  CallCancelledError,
  ConnectionFailedError,
  InvalidRequestError,
  LlmError,
  MalformedResponseError,
  ModelNotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitedError,
  RequestTimeoutError,
  ServerError,
  SpendLimitReachedError,
  StreamInterruptedError,
} from './llmErrors';
import { parseRetryAfterMs } from './retryPolicy';
import { errorMessage } from '../errorText';
import { redactSecrets } from '../redactSecrets';

export interface FailureContext {
  /** 'request': before the response headers; 'stream': while reading events. */
  phase: 'request' | 'stream';
  /** The caller's signal fired. */
  cancelled: boolean;
  /** Our own timer fired (no response, or no event for too long). */
  timedOut: boolean;
  now: number;
}

/** The SDK's stable error codes for a spend limit (error.details.error_code). */
const SPEND_LIMIT_CODES = new Set([
  'enforced_spend_limit_reached',
  'contract_spend_limit_reached',
  'linked_organization_spend_limit_reached',
]);

/**
 * A 429 is a spend limit when the API's stable error code says so. Servers without codes (older
 * gateways, the simulator) only say it in the message, so that is read as a last resort — this is
 * the one place message text is inspected, at the boundary, and it becomes a type at once.
 */
function isSpendLimit(error: APIError): boolean {
  if (error.errorCode !== null && SPEND_LIMIT_CODES.has(error.errorCode)) return true;
  if (error.type === 'billing_error') return true;
  return /\b(spend|spending|usage)\b[^.]*\blimits?\b/i.test(error.apiMessage ?? '');
}

/** Maps whatever an attempt threw onto the typed errors callers and the retry policy understand. */
export function classifyError(error: unknown, context: FailureContext): LlmError {
  if (error instanceof LlmError) return error;
  if (context.cancelled) return new CallCancelledError('The call was cancelled.', { cause: error });
  const { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = anthropicSdk();
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return new RequestTimeoutError('The API did not answer in time.', { cause: error });
  }
  if (error instanceof APIUserAbortError) return new CallCancelledError('The call was aborted.', { cause: error });
  if (error instanceof APIConnectionError) {
    return new ConnectionFailedError(`Could not reach the API: ${redactSecrets(error.message)}`, { cause: error });
  }
  if (error instanceof APIError) return fromApiError(error, context);
  if (error instanceof SyntaxError) {
    return new MalformedResponseError('The API sent a stream event that is not JSON.', { cause: error });
  }
  if (context.phase === 'stream') {
    // The body read failed under us (socket closed, "terminated"): the stream was cut.
    return new StreamInterruptedError('The connection closed in the middle of the response.', { cause: error });
  }
  return new ConnectionFailedError(`The request failed: ${errorMessage(error)}`, { cause: error });
}

function fromApiError(error: APIError, context: FailureContext): LlmError {
  const details = { requestId: error.requestID ?? null, status: error.status ?? null, cause: error };
  // What the server said is untrusted text: a gateway may echo the key it was sent.
  const message = redactSecrets(error.apiMessage ?? error.message);
  const status = error.status;
  if (status === undefined) {
    // An `event: error` inside a 200 stream: its type says what it is.
    switch (error.type) {
      case 'overloaded_error':
        return new OverloadedError(`The API is overloaded: ${message}`, details);
      case 'rate_limit_error':
        return isSpendLimit(error) ? new SpendLimitReachedError(message, details) : new RateLimitedError(message, details);
      case 'invalid_request_error':
        return new InvalidRequestError(message, details);
      default:
        return new ServerError(`The API reported an error mid-stream: ${message}`, details);
    }
  }
  if (status === 400 || status === 413 || status === 422) return new InvalidRequestError(message, details);
  if (status === 401) return new AuthenticationFailedError(`The API key was not accepted: ${message}`, details);
  if (status === 402) return new SpendLimitReachedError(message, details);
  if (status === 403) return new PermissionDeniedError(message, details);
  if (status === 404) return new ModelNotFoundError(message, details);
  if (status === 429) {
    if (isSpendLimit(error)) return new SpendLimitReachedError(message, details);
    return new RateLimitedError(message, { ...details, retryAfterMs: parseRetryAfterMs(error.headers, context.now) });
  }
  if (status === 529) return new OverloadedError(`The API is overloaded: ${message}`, details);
  if (status >= 500 || status === 408 || status === 409) return new ServerError(message, details);
  return new InvalidRequestError(message, details);
}
