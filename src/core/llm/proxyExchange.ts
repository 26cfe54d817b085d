import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../errorText';
import { attemptBilling, type AttemptBilling } from './attemptBilling';
import type { CallSizing } from './callSizing';
import { ZERO_USAGE, type TokenUsage } from './cost';
import { CallCancelledError, ConnectionFailedError, StreamInterruptedError, type LlmError } from './llmErrors';
import type { ModelCost } from './modelCost';
import { sendProxyError, upstreamHttpError, upstreamStreamError } from './proxyErrors';
import { relayBody } from './proxyForward';
import { isEventStream, type ProxyKeyRedaction } from './proxyRedaction';
import type { ProxyRun } from './proxyRun';
import { ProxyUsageFold } from './proxyUsageFold';
import { USAGE_RECORD_VERSION, usageRecordSchema, type UsageRecord } from './usageRecord';

/** The ledger and budget guard as the proxy sees them (BatchRuntime.meter, BudgetGuard.clientHooks). */
export interface UsageMeter {
  /**
   * Reserves the worst case of a call about to start, or refuses it with BudgetExceededError. With
   * `sizing` it may size the call down to the budget left instead: it resolves with the max_tokens to send.
   */
  beforeCall(worstCaseUsd: number | null, request: { model: string }, sizing?: CallSizing): Promise<number> | number | void;
  /**
   * Appends the record to the ledger and settles the reservation of the attempt (`sizing.attempt`);
   * `billing` says whether the record is all the attempt can have been billed (attemptBilling.ts).
   */
  recordUsage(record: UsageRecord, attempt?: object, billing?: AttemptBilling): Promise<void>;
}

export interface ExchangeOptions {
  readonly run: ProxyRun;
  readonly model: string;
  readonly attempt: number;
  /** The key the budget hook holds this attempt's reservation under. */
  readonly reservationKey?: object;
  readonly meter: UsageMeter;
  readonly cost: ModelCost;
  readonly clock: () => number;
  /** Takes the real key out of everything relayed to the worker. */
  readonly redaction: ProxyKeyRedaction;
  readonly res: ServerResponse;
  readonly send: (abort: AbortSignal) => Promise<IncomingMessage>;
}

interface Outcome {
  usage: TokenUsage;
  requestId: string | null;
  error?: LlmError;
  partial?: boolean;
}

/**
 * One metered Messages call, already admitted by the budget guard: forwarded, relayed, and recorded
 * exactly once whatever happens — an HTTP error records zeros, a stream cut records what the server
 * reported before the cut (`partial`), a client that goes away records what arrived until then.
 */
export async function meterExchange(options: ExchangeOptions): Promise<void> {
  const { res, clock } = options;
  const started = clock();
  const abort = new AbortController();
  const clientGone = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.on('close', clientGone);
  try {
    await exchange(options, abort.signal, started);
  } catch (error) {
    // No answer at all (refused connection, reset before the headers, the worker gone): a zero record.
    const failure = abort.signal.aborted
      ? new CallCancelledError('The worker went away before the API answered.', { cause: error })
      : new ConnectionFailedError(`Could not reach the API: ${errorMessage(error)}`, { cause: error });
    await record(options, { usage: { ...ZERO_USAGE }, requestId: null, error: failure }, started);
    if (!abort.signal.aborted) sendProxyError(res, 'api_error', options.redaction.text(failure.message));
  } finally {
    res.off('close', clientGone);
  }
}

async function exchange(options: ExchangeOptions, abort: AbortSignal, started: number): Promise<void> {
  const { res, clock } = options;
  const upstream = await options.send(abort);
  const status = upstream.statusCode ?? 502;
  const requestId = headerText(upstream.headers['request-id']);
  res.writeHead(status, options.redaction.headers(upstream.headers));
  const streaming = isEventStream(upstream.headers);
  const fold = new ProxyUsageFold(streaming);
  const errorBody: Buffer[] = [];
  await relayBody(
    upstream,
    res,
    options.redaction.body(upstream.headers),
    (chunk) => {
      if (status !== 200) {
        errorBody.push(chunk);
        return false;
      }
      fold.push(chunk);
      // A JSON answer is only usable whole; a stream from the chunk that holds message_stop.
      return !streaming || fold.hasStopped;
    },
    (complete) => record(options, conclude(status, complete, fold, Buffer.concat(errorBody).toString('utf8'), upstream, requestId, abort, clock()), started),
  );
}

/** What the attempt amounts to, from the status, how the body ended and what it said. */
function conclude(status: number, complete: boolean, fold: ProxyUsageFold, errorText: string, upstream: IncomingMessage, requestId: string | null, abort: AbortSignal, now: number): Outcome {
  if (status !== 200) {
    return { usage: { ...ZERO_USAGE }, requestId, error: upstreamHttpError(status, errorText, toHeaders(upstream.headers), now) };
  }
  fold.finish();
  const usage = fold.hasStarted ? fold.usage() : { ...ZERO_USAGE };
  if (fold.error) return { usage, requestId, error: upstreamStreamError(fold.error, now), partial: fold.hasStarted };
  if (complete && fold.isComplete) return { usage, requestId };
  const error = abort.aborted ? new CallCancelledError('The worker went away in the middle of the answer.') : new StreamInterruptedError('The connection closed in the middle of the response.', { requestId });
  return { usage, requestId, error, partial: fold.hasStarted };
}

async function record(options: ExchangeOptions, outcome: Outcome, started: number): Promise<void> {
  const { run, model, cost, clock } = options;
  const anyTokens = Object.values(outcome.usage).some((n) => n > 0);
  const entry = usageRecordSchema.parse({
    v: USAGE_RECORD_VERSION,
    ts: new Date(clock()).toISOString(),
    workspace: run.tags.workspace,
    batchId: run.tags.batchId,
    ticketId: run.tags.ticketId,
    stage: run.tags.stage,
    model,
    tier: run.tags.tier,
    ...outcome.usage,
    // Nothing billed costs nothing even for an unpriced model; otherwise unknown stays null.
    costUsd: anyTokens ? cost.costUsd(model, outcome.usage) : 0,
    latencyMs: Math.max(0, clock() - started),
    requestId: outcome.requestId,
    cached: false,
    attempt: options.attempt,
    engine: run.tags.engine,
    ...(outcome.error ? { error: outcome.error.name, ...(outcome.partial ? { partial: true } : {}) } : {}),
  });
  // A cut, cancelled or reset exchange may have been billed in full: its reservation stays open.
  const billing = outcome.error ? attemptBilling({ error: outcome.error, partial: outcome.partial === true, sent: true }) : 'known';
  await options.meter.recordUsage(entry, options.reservationKey, billing);
  run.add(entry, outcome.error);
}

function headerText(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : (value?.[0] ?? null);
}

function toHeaders(headers: IncomingMessage['headers']): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out.set(name, value);
    else if (Array.isArray(value)) out.set(name, value.join(', '));
  }
  return out;
}
