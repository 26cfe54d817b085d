import type { ServerResponse } from 'node:http';
import { anthropicSdk } from './anthropicSdk';
import { classifyError } from './classifyError';
import type { LlmError } from './llmErrors';

/** The API's error types the proxy answers with itself (the wire format of `{type: 'error', error}`). */
export type ProxyErrorType = 'authentication_error' | 'permission_error' | 'not_found_error' | 'invalid_request_error' | 'api_error';

const STATUS: Readonly<Record<ProxyErrorType, number>> = {
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  invalid_request_error: 400,
  api_error: 502,
};

/**
 * Answers the way the Messages API does, so the client (Claude Code) shows the message and stops
 * instead of retrying: a budget refusal is a 403, which no client retries.
 */
export function sendProxyError(res: ServerResponse, type: ProxyErrorType, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ type: 'error', error: { type, message } });
  res.writeHead(STATUS[type], { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-flotilla-proxy': 'refused' });
  res.end(body);
}

/** The typed error an upstream HTTP error stands for, classified exactly as Flotilla's own client would. */
export function upstreamHttpError(status: number, body: string, headers: Headers, now: number): LlmError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body) as unknown;
  } catch {
    parsed = undefined;
  }
  return classifyError(anthropicSdk().APIError.generate(status, parsed as object | undefined, undefined, headers), { phase: 'request', cancelled: false, timedOut: false, now });
}

/** An `event: error` inside a 200 stream, typed the same way. */
export function upstreamStreamError(error: { type: string; message: string }, now: number): LlmError {
  // Status undefined: classifyError reads an in-stream error by its type, as the SDK reports it.
  const apiError = new (anthropicSdk().APIError)(undefined, { type: 'error', error }, error.message, new Headers());
  return classifyError(apiError, { phase: 'stream', cancelled: false, timedOut: false, now });
}
