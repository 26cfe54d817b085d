// The API's error wire format: `{type: 'error', error: {type, message}}` with a status per type.

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'conflict_error'
  | 'precondition_failed_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

export const STATUS_BY_ERROR_TYPE: Readonly<Record<ApiErrorType, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  precondition_failed_error: 412,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export interface ApiErrorBody {
  type: 'error';
  error: { type: ApiErrorType; message: string; details?: ApiErrorDetails };
  request_id?: string;
}

/** The stable, machine-readable reason some errors carry (`error.details.error_code`). */
export interface ApiErrorDetails {
  error_code: string;
  /** Some codes carry more (a refused heartbeat carries the lease as the server holds it). */
  readonly [field: string]: unknown;
}

/** A request the simulator refuses; the HTTP layer turns it into the API's error response. */
export class SimulatedApiError extends Error {
  readonly status: number;
  constructor(
    readonly errorType: ApiErrorType,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly details?: ApiErrorDetails,
  ) {
    super(message);
    this.name = 'SimulatedApiError';
    this.status = STATUS_BY_ERROR_TYPE[errorType];
  }

  body(requestId: string): ApiErrorBody {
    const error = { type: this.errorType, message: this.message, ...(this.details ? { details: this.details } : {}) };
    return { type: 'error', error, request_id: requestId };
  }
}

export function errorEventData(errorType: ApiErrorType, message: string): ApiErrorBody {
  return { type: 'error', error: { type: errorType, message } };
}
