import type { Logger } from '../logger';
import { ZERO_USAGE, type TokenUsage } from './cost';
import { InvalidToolInputError, MalformedResponseError, ResponseTooLargeError } from './llmErrors';
import {
  anyEventSchema,
  contentBlockDeltaSchema,
  contentBlockStartSchema,
  contentBlockStopSchema,
  inputJsonDeltaSchema,
  messageDeltaSchema,
  messageStartSchema,
  redactedThinkingBlockSchema,
  signatureDeltaSchema,
  textBlockSchema,
  textDeltaSchema,
  thinkingBlockSchema,
  thinkingDeltaSchema,
  toolUseBlockSchema,
  type WireUsage,
} from './streamEvents';

/** The content blocks a caller gets back, in the shape the API accepts as an assistant turn. */
export type LlmContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

type Building =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

export interface AccumulatedMessage {
  id: string;
  model: string;
  stopReason: string | null;
  content: LlmContentBlock[];
}

/**
 * Folds stream events into a message and its usage. Usage is taken from message_start and then
 * overwritten field by field by message_delta (whose numbers are cumulative), so a stream cut after
 * message_start still tells what the server counted so far.
 */
export class MessageAccumulator {
  private started = false;
  private stopped = false;
  private id = '';
  private model = '';
  private stopReason: string | null = null;
  private wire: WireUsage = {};
  private readonly blocks = new Map<number, Building>();
  private chars = 0;

  constructor(
    private readonly maxResponseChars: number,
    private readonly logger: Logger,
    private readonly onText?: (delta: string) => void,
  ) {}

  /** message_start arrived: the server has counted the prompt. */
  get hasStarted(): boolean {
    return this.started;
  }

  /** message_stop arrived: the stream is complete. */
  get isComplete(): boolean {
    return this.stopped;
  }

  apply(raw: unknown): void {
    const event = parse(anyEventSchema, raw);
    switch (event.type) {
      case 'message_start': {
        const { message } = parse(messageStartSchema, raw);
        this.started = true;
        this.id = message.id;
        this.model = message.model;
        this.mergeUsage(message.usage);
        return;
      }
      case 'content_block_start':
        return this.startBlock(raw);
      case 'content_block_delta':
        return this.applyDelta(raw);
      case 'content_block_stop':
        parse(contentBlockStopSchema, raw);
        return;
      case 'message_delta': {
        const delta = parse(messageDeltaSchema, raw);
        this.stopReason = delta.delta.stop_reason ?? this.stopReason;
        if (delta.usage) this.mergeUsage(delta.usage);
        return;
      }
      case 'message_stop':
        this.stopped = true;
        return;
      default:
        // Unknown event types are allowed by the API's versioning policy: skip them.
        this.logger.debug(`Ignoring unknown stream event "${event.type}".`);
    }
  }

  usage(): TokenUsage {
    return tokenUsageFromWire(this.wire);
  }

  /** The finished message; a tool_use input that is not valid JSON is a typed error. */
  message(): AccumulatedMessage {
    const content: LlmContentBlock[] = [];
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const block = this.blocks.get(index);
      if (!block) continue;
      if (block.type === 'tool_use') {
        content.push({ type: 'tool_use', id: block.id, name: block.name, input: parseToolInput(block.name, block.json) });
      } else {
        content.push(block);
      }
    }
    return { id: this.id, model: this.model, stopReason: this.stopReason, content };
  }

  private mergeUsage(next: WireUsage): void {
    this.wire = mergeWireUsage(this.wire, next);
  }

  private startBlock(raw: unknown): void {
    const { index, content_block: block } = parse(contentBlockStartSchema, raw);
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { type: 'text', text: this.grow(parse(textBlockSchema, block).text) });
        return;
      case 'tool_use': {
        const tool = parse(toolUseBlockSchema, block);
        this.blocks.set(index, { type: 'tool_use', id: tool.id, name: tool.name, json: '' });
        return;
      }
      case 'thinking': {
        const thinking = parse(thinkingBlockSchema, block);
        this.blocks.set(index, { type: 'thinking', thinking: this.grow(thinking.thinking), signature: thinking.signature ?? '' });
        return;
      }
      case 'redacted_thinking':
        this.blocks.set(index, { type: 'redacted_thinking', data: this.grow(parse(redactedThinkingBlockSchema, block).data) });
        return;
      default:
        this.logger.debug(`Ignoring content block of type "${block.type}".`);
    }
  }

  private applyDelta(raw: unknown): void {
    const { index, delta } = parse(contentBlockDeltaSchema, raw);
    const block = this.blocks.get(index);
    if (!block) return; // a delta for a skipped block type
    if (block.type === 'text' && delta.type === 'text_delta') {
      const text = this.grow(parse(textDeltaSchema, delta).text);
      block.text += text;
      this.onText?.(text);
    } else if (block.type === 'tool_use' && delta.type === 'input_json_delta') {
      block.json += this.grow(parse(inputJsonDeltaSchema, delta).partial_json);
    } else if (block.type === 'thinking' && delta.type === 'thinking_delta') {
      block.thinking += this.grow(parse(thinkingDeltaSchema, delta).thinking);
    } else if (block.type === 'thinking' && delta.type === 'signature_delta') {
      block.signature += parse(signatureDeltaSchema, delta).signature;
    } else {
      this.logger.debug(`Ignoring ${delta.type} for a ${block.type} block.`);
    }
  }

  /** Counts what the response has added, so a runaway response stops the stream instead of filling memory. */
  private grow(text: string): string {
    this.chars += text.length;
    if (this.chars > this.maxResponseChars) {
      throw new ResponseTooLargeError(`The response passed ${this.maxResponseChars} characters; the stream was stopped.`);
    }
    return text;
  }
}

/** message_delta's usage is cumulative: each field it carries replaces the one seen before. */
export function mergeWireUsage(before: WireUsage, next: WireUsage): WireUsage {
  const merged: WireUsage = { ...before };
  for (const [key, value] of Object.entries(next) as [keyof WireUsage, WireUsage[keyof WireUsage]][]) {
    if (value !== null && value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

/** The five billed token classes from the API's usage object (shared with the metering proxy). */
export function tokenUsageFromWire(w: WireUsage): TokenUsage {
  const written = w.cache_creation_input_tokens ?? 0;
  const split = w.cache_creation;
  // Without the 5m/1h split, every write is a 5-minute write (the API's default TTL).
  const oneHour = split ? (split.ephemeral_1h_input_tokens ?? 0) : 0;
  const fiveMinutes = split ? (split.ephemeral_5m_input_tokens ?? 0) : written;
  return {
    ...ZERO_USAGE,
    inputTokens: w.input_tokens ?? 0,
    outputTokens: w.output_tokens ?? 0,
    cacheWrite5mTokens: fiveMinutes,
    cacheWrite1hTokens: oneHour,
    cacheReadTokens: w.cache_read_input_tokens ?? 0,
  };
}

function parse<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: Error } }, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new MalformedResponseError(`Unexpected stream event: ${result.error.message}`, { cause: result.error });
  }
  return result.data;
}

function parseToolInput(toolName: string, json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    throw new InvalidToolInputError(`The input of tool "${toolName}" is not valid JSON.`, { toolName, rawInput: json, cause: error });
  }
}
