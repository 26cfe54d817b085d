import type { CacheUsage } from './promptCache';
import type { SimulatedTurn } from './simulatorTypes';
import { estimateOutputTokens } from './tokenCount';

export type StopReason = NonNullable<SimulatedTurn['stopReason']>;

export type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

/** The usage object as the API sends it in a Message and in message_start. */
export interface WireUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
  service_tier: 'standard';
}

export interface ResolvedTurn {
  content: WireBlock[];
  stopReason: StopReason;
  outputTokens: number;
}

/**
 * Give every block its id and derive stop reason and output tokens. A turn longer than
 * max_tokens is cut there with stop_reason 'max_tokens', because the API never reports more
 * output than the caller allowed (budget checks rely on that bound).
 */
export function resolveTurn(turn: SimulatedTurn, maxTokens: number, nextToolId: () => string): ResolvedTurn {
  const content: WireBlock[] = turn.content.map((block) =>
    block.type === 'text'
      ? { type: 'text', text: block.text }
      : { type: 'tool_use', id: block.id ?? nextToolId(), name: block.name, input: block.input ?? {} },
  );
  const derived = estimateOutputTokens(content.map((b) => (b.type === 'text' ? b.text : JSON.stringify(b.input))));
  const outputTokens = turn.outputTokens ?? derived;
  const defaultStop: StopReason = content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  if (outputTokens > maxTokens) {
    return { content: truncateText(content, maxTokens * 4), stopReason: 'max_tokens', outputTokens: maxTokens };
  }
  return { content, stopReason: turn.stopReason ?? defaultStop, outputTokens };
}

function truncateText(content: readonly WireBlock[], maxChars: number): WireBlock[] {
  const out: WireBlock[] = [];
  let left = maxChars;
  for (const block of content) {
    if (block.type !== 'text') break; // a tool call cut in half is not sent
    out.push({ type: 'text', text: block.text.slice(0, left) });
    left -= block.text.length;
    if (left <= 0) break;
  }
  return out.length > 0 ? out : [{ type: 'text', text: '' }];
}

export function wireUsage(cache: CacheUsage, outputTokens: number): WireUsage {
  return {
    input_tokens: cache.inputTokens,
    cache_creation_input_tokens: cache.cacheWrite5mTokens + cache.cacheWrite1hTokens,
    cache_read_input_tokens: cache.cacheReadTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: cache.cacheWrite5mTokens,
      ephemeral_1h_input_tokens: cache.cacheWrite1hTokens,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

export interface WireMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: WireBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: WireUsage;
}

/** `stopSequence` is the sequence reported when the turn stops on one (the request's first, as a script cannot say which). */
export function wireMessage(id: string, model: string, turn: ResolvedTurn, cache: CacheUsage, stopSequence: string | null = null): WireMessage {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: turn.content,
    stop_reason: turn.stopReason,
    stop_sequence: turn.stopReason === 'stop_sequence' ? stopSequence : null,
    usage: wireUsage(cache, turn.outputTokens),
  };
}
