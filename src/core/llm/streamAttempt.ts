import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import type { Logger } from '../logger';
import { classifyError } from './classifyError';
import type { TokenUsage } from './cost';
import { CallCancelledError, LlmError, MalformedResponseError, StreamInterruptedError } from './llmErrors';
import { MessageAccumulator, type AccumulatedMessage } from './messageAccumulator';
import type { HeaderReader } from './retryPolicy';

/** A Messages API request as the caller writes it; the client always streams. */
export type LlmRequest = Omit<MessageCreateParamsBase, 'stream'>;

export interface AttemptSettings {
  sdk: Anthropic;
  request: LlmRequest;
  signal?: AbortSignal;
  /** No response headers within this → timeout. */
  firstByteTimeoutMs: number;
  /** No stream event within this (pings count) → timeout. */
  idleTimeoutMs: number;
  maxResponseChars: number;
  logger: Logger;
  clock: () => number;
  onText?: (delta: string) => void;
}

interface AttemptCommon {
  requestId: string | null;
  headers: HeaderReader | undefined;
}

export type AttemptResult =
  | (AttemptCommon & { ok: true; message: AccumulatedMessage; usage: TokenUsage })
  /**
   * usage null: the server reported none (no message_start); partial: it reported some, not all;
   * notSent: the request provably never left this process (cancelled before it started).
   */
  | (AttemptCommon & { ok: false; error: LlmError; usage: TokenUsage | null; partial: boolean; notSent?: true });

/**
 * One HTTP attempt: stream the response, fold it into a message, and never throw — every ending is a
 * value, so the caller can always write exactly one usage record for it. Cancellation and both
 * timeouts abort the request's own controller, which ends the body read at once.
 */
export async function runStreamAttempt(settings: AttemptSettings): Promise<AttemptResult> {
  const { signal } = settings;
  if (signal?.aborted) {
    const error = new CallCancelledError('The call was cancelled before it was sent.');
    return { ok: false, error, usage: null, partial: false, notSent: true, requestId: null, headers: undefined };
  }
  const controller = new AbortController();
  let timedOut = false;
  let phase: 'request' | 'stream' = 'request';
  const abort = () => controller.abort();
  signal?.addEventListener('abort', abort, { once: true });
  const arm = (ms: number) =>
    setTimeout(() => {
      timedOut = true;
      abort();
    }, ms);
  let timer = arm(settings.firstByteTimeoutMs);
  const accumulator = new MessageAccumulator(settings.maxResponseChars, settings.logger, settings.onText);
  let requestId: string | null = null;
  let headers: HeaderReader | undefined;

  try {
    const { data: stream, response, request_id } = await settings.sdk.messages
      .create(
        { ...settings.request, stream: true },
        // The SDK's own timeout is only a backstop behind ours; its retries are off because every
        // attempt must be seen (and recorded) here.
        { signal: controller.signal, maxRetries: 0, timeout: settings.firstByteTimeoutMs + 1000 },
      )
      .withResponse();
    requestId = request_id ?? null;
    headers = response.headers;
    phase = 'stream';
    clearTimeout(timer);
    timer = arm(settings.idleTimeoutMs);
    for await (const event of stream) {
      clearTimeout(timer);
      timer = arm(settings.idleTimeoutMs);
      accumulator.apply(event);
    }
    // The SDK ends the loop quietly when the request is aborted; say why it ended.
    if (controller.signal.aborted) throw new Error('aborted');
    if (!accumulator.isComplete) {
      throw accumulator.hasStarted
        ? new StreamInterruptedError('The stream ended before message_stop.', { requestId })
        : new MalformedResponseError('The response is not a Messages API stream (no message_start).', { requestId });
    }
    return { ok: true, message: accumulator.message(), usage: accumulator.usage(), requestId, headers };
  } catch (thrown) {
    const error = classifyError(thrown, { phase, cancelled: signal?.aborted ?? false, timedOut, now: settings.clock() });
    const apiHeaders = errorHeaders(thrown);
    return {
      ok: false,
      error,
      usage: accumulator.hasStarted ? accumulator.usage() : null,
      partial: accumulator.hasStarted && !accumulator.isComplete,
      requestId: requestId ?? error.requestId,
      headers: headers ?? apiHeaders,
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', abort);
    controller.abort(); // closes the connection if anything is still open
  }
}

function errorHeaders(thrown: unknown): HeaderReader | undefined {
  if (typeof thrown !== 'object' || thrown === null || !('headers' in thrown)) return undefined;
  const candidate = (thrown as { headers: unknown }).headers;
  return candidate instanceof Headers ? candidate : undefined;
}
