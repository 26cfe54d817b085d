import { errorEventData } from './apiErrors';
import type { ResolvedTurn, WireBlock, WireMessage } from './messageBody';

export interface SseEvent {
  event: string;
  data: unknown;
}

const TEXT_CHUNK = 32;
const HUGE_TEXT_CHUNK = 16_384;
const JSON_CHUNK = 24;

export interface StreamShape {
  brokenToolJson?: boolean; // the first tool_use's input_json_delta pieces do not join into JSON
  unknownEvent?: boolean; // an event type the SDK has never heard of, after the first ping
}

/**
 * The event sequence of one streamed message: message_start (empty content, input-side usage),
 * ping, per block content_block_start / *_delta… / content_block_stop, message_delta with the
 * cumulative usage, message_stop.
 */
export function messageEvents(message: WireMessage, turn: ResolvedTurn, shape: StreamShape = {}): SseEvent[] {
  const start: WireMessage = {
    ...message,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    // The API reports a token or so of output at the start; the real total comes in message_delta.
    usage: { ...message.usage, output_tokens: Math.min(1, turn.outputTokens) },
  };
  const events: SseEvent[] = [{ event: 'message_start', data: { type: 'message_start', message: start } }, ping()];
  if (shape.unknownEvent) {
    events.push({
      event: 'simulated_future_event',
      data: { type: 'simulated_future_event', note: 'an event type added after this client was written' },
    });
  }
  let brokenPending = shape.brokenToolJson === true;
  turn.content.forEach((block, index) => {
    const broken = brokenPending && block.type === 'tool_use';
    if (broken) brokenPending = false;
    events.push(...blockEvents(block, index, broken));
  });
  const usage = message.usage;
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: turn.stopReason, stop_sequence: message.stop_sequence },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: turn.outputTokens,
      },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

/** A stream that starts normally and then reports an error, as the API does when overloaded mid-request. */
export function errorAfterStartEvents(message: WireMessage): SseEvent[] {
  const [start] = messageEvents(message, { content: [], stopReason: 'end_turn', outputTokens: 1 });
  return [start as SseEvent, ping(), { event: 'error', data: errorEventData('overloaded_error', 'Overloaded') }];
}

function blockEvents(block: WireBlock, index: number, brokenJson: boolean): SseEvent[] {
  const events: SseEvent[] = [];
  const delta = (d: unknown): void => {
    events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: d } });
  };
  if (block.type === 'text') {
    events.push(startEvent(index, { type: 'text', text: '' }));
    const size = block.text.length > 100_000 ? HUGE_TEXT_CHUNK : TEXT_CHUNK;
    for (const piece of chunks(block.text, size)) delta({ type: 'text_delta', text: piece });
  } else {
    events.push(startEvent(index, { type: 'tool_use', id: block.id, name: block.name, input: {} }));
    delta({ type: 'input_json_delta', partial_json: '' });
    const json = brokenJson ? brokenJsonText(block.input) : JSON.stringify(block.input);
    for (const piece of chunks(json, JSON_CHUNK)) delta({ type: 'input_json_delta', partial_json: piece });
  }
  events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  return events;
}

/** The tool input's JSON with its closing brace replaced by a dangling comma: never parses. */
export function brokenJsonText(input: unknown): string {
  const json = JSON.stringify(input ?? {});
  return `${json.slice(0, -1)},`;
}

export function ping(): SseEvent {
  return { event: 'ping', data: { type: 'ping' } };
}

function startEvent(index: number, contentBlock: unknown): SseEvent {
  return { event: 'content_block_start', data: { type: 'content_block_start', index, content_block: contentBlock } };
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function formatSse(event: SseEvent): string {
  return `event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
