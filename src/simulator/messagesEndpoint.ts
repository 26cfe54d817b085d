import { SimulatedApiError } from './apiErrors';
import { findModel } from './builtinModels';
import { faultError, faultLatencyMs, MALFORMED_SSE_TEXT } from './faults';
import { sendJson, startEventStream, writeEvents, writeFlushed } from './httpIo';
import { resolveTurn, wireMessage, type WireMessage } from './messageBody';
import { promptSegments } from './promptSegments';
import { messagesRequestSchema, parseRequest } from './requestSchema';
import type { Exchange, SimulatorContext } from './simulatorContext';
import type { Fault, SimulatedModel, SimulatedTurn } from './simulatorTypes';
import { brokenJsonText, errorAfterStartEvents, messageEvents } from './sseEvents';
import { errorMessage } from '../core/errorText';

/** Resolve the requested model or answer as the API does for an id it does not serve. */
export function requireModel(ctx: SimulatorContext, id: string): SimulatedModel {
  const model = findModel(ctx.models, id);
  if (!model) throw new SimulatedApiError('not_found_error', `model: ${id}`);
  return model;
}

/**
 * POST /v1/messages. Order matters and mirrors the API: validate, apply an injected HTTP fault,
 * admit under the rate limits, account the prompt cache, then answer as JSON or as an SSE stream.
 * Throws SimulatedApiError for every refusal; the server turns it into the error response.
 */
export async function handleMessages(ctx: SimulatorContext, ex: Exchange): Promise<void> {
  const fault = ctx.takeFault();
  await ctx.delay(faultLatencyMs(fault));
  const request = parseRequest(messagesRequestSchema, ex.record.body);
  const model = requireModel(ctx, request.model);
  const segments = promptSegments(request);

  const now = ctx.now();
  if (fault?.kind === 'echo_key') throw echoKeyError(fault.status, ex);
  const refusal = fault ? faultError(fault, ctx.limiter.headers(now), now) : undefined;
  if (refusal) throw refusal;
  if (fault?.kind === 'never_answer') return; // the socket stays open until the client gives up or close()

  const plan = ctx.cache.plan(model.id, model.minCacheableTokens, segments, now);
  const admitted = plan.usage.inputTokens + plan.usage.cacheWrite5mTokens + plan.usage.cacheWrite1hTokens;
  ctx.limiter.admit(admitted, now);
  ctx.cache.commit(plan, now);
  const headers = { ...ex.headers, ...ctx.limiter.headers(now) };

  const turn = shapeTurn(runResponder(ctx, ex), fault);
  const maxTokens = fault?.kind === 'huge_response' ? Number.POSITIVE_INFINITY : request.max_tokens;
  const resolved = resolveTurn(turn, maxTokens, () => ctx.nextId('toolu'));
  const message = wireMessage(ctx.nextId('msg'), request.model, resolved, plan.usage, request.stop_sequences?.[0] ?? null);

  if (request.stream === true) {
    await streamMessage(ctx, ex, headers, message, resolved, fault);
  } else {
    await answerJson(ctx, ex, headers, message, fault);
  }
}

function runResponder(ctx: SimulatorContext, ex: Exchange): SimulatedTurn {
  try {
    return ctx.responder()(ex.record);
  } catch (error) {
    if (error instanceof SimulatedApiError) throw error;
    const reason = errorMessage(error);
    throw new SimulatedApiError('api_error', `simulator responder failed: ${reason}`);
  }
}

/** Faults that change what the model "says" rather than how it is sent. */
function shapeTurn(turn: SimulatedTurn, fault: Fault | undefined): SimulatedTurn {
  if (fault?.kind === 'huge_response') {
    return { content: [{ type: 'text', text: hugeText(fault.bytes) }], stopReason: 'end_turn' };
  }
  if (fault?.kind === 'invalid_tool_json' && !turn.content.some((b) => b.type === 'tool_use')) {
    return { ...turn, content: [...turn.content, { type: 'tool_use', name: 'simulated_tool', input: { path: 'a.ts' } }], stopReason: 'tool_use' };
  }
  return turn;
}

function hugeText(bytes: number): string {
  const unit = 'lorem ipsum dolor sit amet ';
  return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

async function streamMessage(
  ctx: SimulatorContext,
  ex: Exchange,
  headers: Record<string, string>,
  message: WireMessage,
  resolved: ReturnType<typeof resolveTurn>,
  fault: Fault | undefined,
): Promise<void> {
  startEventStream(ex.res, headers);
  if (fault?.kind === 'malformed_sse') {
    await writeFlushed(ex.res, MALFORMED_SSE_TEXT);
    ex.res.end();
    return;
  }
  const events =
    fault?.kind === 'sse_error_after_200'
      ? errorAfterStartEvents(message)
      : messageEvents(message, resolved, {
          brokenToolJson: fault?.kind === 'invalid_tool_json',
          unknownEvent: fault?.kind === 'unknown_event',
        });
  let billed: ReturnType<SimulatorContext['billing']['report']> | undefined;
  await writeEvents(ex.res, events, {
    cutAfterEvents: fault?.kind === 'cut_mid_stream' ? fault.afterEvents : undefined,
    onWritten: (event) => {
      if (event.event === 'message_start') {
        billed = ctx.billing.report(ex.record.id, message.model, usageOf(message), Math.min(1, resolved.outputTokens));
      } else if (event.event === 'message_delta') {
        billed?.setOutputTokens(resolved.outputTokens);
      } else if (event.event === 'message_stop') {
        billed?.answered();
      }
    },
  });
}

/**
 * Non-streaming answers. Stream-only faults get their closest JSON analogue: an error after 200
 * becomes the 529 it stands for, a cut sends half the body, malformed output is a broken body,
 * a broken tool input arrives as a string that is not JSON.
 */
async function answerJson(
  ctx: SimulatorContext,
  ex: Exchange,
  headers: Record<string, string>,
  message: WireMessage,
  fault: Fault | undefined,
): Promise<void> {
  if (fault?.kind === 'sse_error_after_200') throw new SimulatedApiError('overloaded_error', 'Overloaded');
  if (fault?.kind === 'malformed_sse') {
    const text = JSON.stringify(message);
    ex.res.writeHead(200, { ...headers, 'content-type': 'application/json' });
    ex.res.end(`${text.slice(0, Math.floor(text.length / 2))}<<not json`);
    return;
  }
  if (fault?.kind === 'cut_mid_stream') {
    const text = JSON.stringify(message);
    ex.res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    await writeFlushed(ex.res, text.slice(0, Math.floor(text.length / 2)));
    ex.res.socket?.destroy();
    ex.res.destroy();
    return;
  }
  let body: unknown = message;
  if (fault?.kind === 'invalid_tool_json') {
    let broken = false;
    body = {
      ...message,
      content: message.content.map((b) => {
        if (b.type !== 'tool_use' || broken) return b;
        broken = true;
        return { ...b, input: brokenJsonText(b.input) };
      }),
    };
  }
  if (fault?.kind === 'unknown_event') body = { ...message, simulated_future_field: { note: 'a field added after this client was written' } };
  const billed = ctx.billing.report(ex.record.id, message.model, usageOf(message), message.usage.output_tokens);
  sendJson(ex.res, 200, body, headers);
  billed.answered();
}

function usageOf(message: WireMessage): {
  inputTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
} {
  const u = message.usage;
  return {
    inputTokens: u.input_tokens,
    cacheReadTokens: u.cache_read_input_tokens,
    cacheWrite5mTokens: u.cache_creation.ephemeral_5m_input_tokens,
    cacheWrite1hTokens: u.cache_creation.ephemeral_1h_input_tokens,
  };
}


/** A careless gateway's error: the key the request sent, repeated in the message (the client must not store it). */
function echoKeyError(status: 401 | 500, ex: Exchange): SimulatedApiError {
  const sent = ex.req.headers['x-api-key'] ?? ex.req.headers.authorization ?? '';
  const key = Array.isArray(sent) ? sent.join(',') : sent;
  return status === 401
    ? new SimulatedApiError('authentication_error', `invalid x-api-key: ${key} is not a valid key`)
    : new SimulatedApiError('api_error', `Internal server error while handling key ${key}`);
}
