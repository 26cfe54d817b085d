/**
 * Typed failures of a model call. Callers branch on the class (never on message text), show
 * `nextStep` as the action on the error notification, and the client retries only `retryable` ones.
 */
export interface LlmErrorDetails {
  requestId?: string | null;
  status?: number | null;
  cause?: unknown;
}

export abstract class LlmError extends Error {
  abstract readonly retryable: boolean;
  /** The action offered to the user in the editor ("Set API Key"), or null when there is nothing for them to do. */
  abstract readonly nextStep: string | null;
  /** The same for someone at a terminal (the CLI), where editor commands do not exist; undefined when it reads the same. */
  readonly terminalNextStep: string | null | undefined = undefined;
  readonly requestId: string | null;
  readonly status: number | null;

  constructor(message: string, details: LlmErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.requestId = details.requestId ?? null;
    this.status = details.status ?? null;
  }
}

/** 400 (and other 4xx the API uses for a request it will never accept). */
export class InvalidRequestError extends LlmError {
  readonly retryable = false;
  readonly nextStep = 'Open Log';
  override readonly terminalNextStep = 'Read the error above (run with --json for every event)';
}

/** 401: the key is missing, wrong or revoked. */
export class AuthenticationFailedError extends LlmError {
  readonly retryable = false;
  readonly nextStep = 'Set API Key';
  override readonly terminalNextStep = 'Set ANTHROPIC_API_KEY to a valid key, or pass --simulate to run offline';
}

/** 403: the key may not use this model or feature. */
export class PermissionDeniedError extends LlmError {
  readonly retryable = false;
  readonly nextStep = "Check the key's workspace permissions in the Console";
}

/** 404: usually a model id that does not exist (a typo in the tier setting). */
export class ModelNotFoundError extends LlmError {
  readonly retryable = false;
  readonly nextStep = 'Check the model ids in the flotilla.llm.tiers setting';
  override readonly terminalNextStep = 'Check that your key can use the tier models (the defaults, or --tier with another tier)';
}

/** 429 (or 402) that says a spend limit was reached: waiting will not help this month. */
export class SpendLimitReachedError extends LlmError {
  readonly retryable = false;
  readonly nextStep = 'Raise the limit in the Console';
}

/** 429 rate limit: retried after `retryAfterMs` when the server said how long to wait. */
export class RateLimitedError extends LlmError {
  readonly retryable = true;
  readonly nextStep = 'Lower the concurrency';
  override readonly terminalNextStep = 'Lower --concurrency';
  readonly retryAfterMs: number | null;

  constructor(message: string, details: LlmErrorDetails & { retryAfterMs?: number | null } = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

/** 529, or an overloaded_error event inside a stream. */
export class OverloadedError extends LlmError {
  readonly retryable = true;
  readonly nextStep = null;
}

/** 500-class, or an api_error event inside a stream. */
export class ServerError extends LlmError {
  readonly retryable = true;
  readonly nextStep = null;
}

/** No HTTP response at all: refused, reset, DNS. */
export class ConnectionFailedError extends LlmError {
  readonly retryable = true;
  readonly nextStep = 'Check the network and the API base URL setting';
  override readonly terminalNextStep = 'Check the network and --api-base';
}

/** No response (or no stream event) within the client's timeout. */
export class RequestTimeoutError extends LlmError {
  readonly retryable = true;
  readonly nextStep = null;
}

/** The stream started and then the connection dropped before message_stop. */
export class StreamInterruptedError extends LlmError {
  readonly retryable = true;
  readonly nextStep = null;
}

/** Bytes that are not the Messages API's SSE protocol: a proxy or wrong base URL, not a blip. */
export class MalformedResponseError extends LlmError {
  readonly retryable = false;
  readonly nextStep = 'Check the API base URL setting';
  override readonly terminalNextStep = 'Check --api-base';
}

/** A tool_use block whose input is not valid JSON; the caller may re-prompt, the client does not retry. */
export class InvalidToolInputError extends LlmError {
  readonly retryable = false;
  readonly nextStep = null;
  readonly toolName: string;
  readonly rawInput: string;

  constructor(message: string, details: LlmErrorDetails & { toolName: string; rawInput: string }) {
    super(message, details);
    this.toolName = details.toolName;
    this.rawInput = details.rawInput;
  }
}

/** The response grew past the client's size limit; the stream was stopped. */
export class ResponseTooLargeError extends LlmError {
  readonly retryable = false;
  readonly nextStep = null;
}

/** The caller's AbortSignal fired. */
export class CallCancelledError extends LlmError {
  readonly retryable = false;
  readonly nextStep = null;
}

/** The usage sink failed, so the result is withheld: nothing is used that the ledger does not hold. */
export class UsageNotRecordedError extends LlmError {
  readonly retryable = false;
  readonly nextStep = 'Open Log';
  override readonly terminalNextStep = 'Check that the --storage folder is writable';
}
