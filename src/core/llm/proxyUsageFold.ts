import { z } from 'zod';
import { mergeWireUsage, tokenUsageFromWire } from './messageAccumulator';
import type { TokenUsage } from './cost';
import { wireUsageSchema, type WireUsage } from './streamEvents';

const startSchema = z.object({ message: z.object({ usage: wireUsageSchema }).loose() }).loose();
const deltaSchema = z.object({ usage: wireUsageSchema.nullish() }).loose();
const errorSchema = z.object({ error: z.object({ type: z.string(), message: z.string().optional() }).loose() }).loose();
const jsonMessageSchema = z.object({ type: z.literal('message'), usage: wireUsageSchema }).loose();

/**
 * Reads the usage out of a Messages API answer as it streams past the metering proxy, without
 * changing a byte of it: SSE frames are split on blank lines, message_start gives the prompt side,
 * message_delta the cumulative totals, message_stop says the answer is complete. A JSON answer is
 * read once it has fully arrived. Anything unreadable is simply not usage.
 */
export class ProxyUsageFold {
  private buffer = '';
  private wire: WireUsage = {};
  private started = false;
  private stopped = false;
  private streamError: { type: string; message: string } | undefined;
  private readonly decoder = new TextDecoder();

  constructor(private readonly streaming: boolean) {}

  push(chunk: Buffer): void {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    if (!this.streaming) return;
    let end = this.buffer.search(/\r?\n\r?\n/);
    while (end >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      this.frame(frame);
      end = this.buffer.search(/\r?\n\r?\n/);
    }
  }

  /** The body has ended: a JSON answer can be read now. */
  finish(): void {
    if (this.streaming) {
      if (this.buffer.trim() !== '') this.frame(this.buffer);
      this.buffer = '';
      return;
    }
    const parsed = jsonMessageSchema.safeParse(safeJson(this.buffer));
    if (parsed.success) {
      this.started = true;
      this.stopped = true;
      this.wire = parsed.data.usage;
    }
  }

  /** The server reported a prompt count (message_start, or a whole JSON message). */
  get hasStarted(): boolean {
    return this.started;
  }

  /** message_stop went past (the answer may still turn out to be an error). */
  get hasStopped(): boolean {
    return this.stopped;
  }

  /** The answer is complete (message_stop, or a whole JSON message). */
  get isComplete(): boolean {
    return this.stopped && this.streamError === undefined;
  }

  /** An `event: error` inside a 200 stream. */
  get error(): { type: string; message: string } | undefined {
    return this.streamError;
  }

  usage(): TokenUsage {
    return tokenUsageFromWire(this.wire);
  }

  private frame(frame: string): void {
    const data = frame
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    const event = safeJson(data);
    if (typeof event !== 'object' || event === null || !('type' in event)) return;
    switch (event.type) {
      case 'message_start': {
        const start = startSchema.safeParse(event);
        if (start.success) {
          this.started = true;
          this.wire = mergeWireUsage(this.wire, start.data.message.usage);
        }
        return;
      }
      case 'message_delta': {
        const delta = deltaSchema.safeParse(event);
        if (delta.success && delta.data.usage) this.wire = mergeWireUsage(this.wire, delta.data.usage);
        return;
      }
      case 'message_stop':
        this.stopped = true;
        return;
      case 'error': {
        const error = errorSchema.safeParse(event);
        this.streamError = error.success ? { type: error.data.error.type, message: error.data.error.message ?? '' } : { type: 'api_error', message: '' };
        return;
      }
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
