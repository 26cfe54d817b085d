import { StringDecoder } from 'node:string_decoder';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { KeyMatcher, KeyStreamMask, replaceKeys, sameLengthMask } from '../keySpellings';
import { clientHeaders, type BodyRedactor } from './proxyForward';

/**
 * The real key must never reach a worker (issue 20 item 3), yet an upstream — a gateway, a server
 * that echoes what it was sent — may put it in an answer: in a header, in a JSON body, in the text of
 * a stream. The proxy passes every answer through this, which masks the key in each of its spellings
 * (keySpellings.ts) with as many asterisks, so lengths still hold.
 */
export class ProxyKeyRedaction {
  private readonly matchers: readonly KeyMatcher[];

  constructor(secrets: readonly string[]) {
    this.matchers = secrets.filter((s) => s !== '').map((s) => new KeyMatcher(s));
  }

  /** One whole text (a header value, an error message the proxy writes itself). */
  text(value: string): string {
    return replaceKeys(value, this.matchers, sameLengthMask).text;
  }

  /**
   * The upstream's answer headers as the client may see them: every value masked. A stream's events
   * may be rewritten (a held-back delta), so its length is left to the chunked encoding.
   */
  headers(upstream: IncomingHttpHeaders): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(clientHeaders(upstream))) {
      if (name === 'content-length' && isEventStream(upstream)) continue;
      out[name] = Array.isArray(value) ? value.map((v) => this.text(v)) : this.text(value);
    }
    return out;
  }

  /**
   * A redactor for one body. A stream is read event by event, and the text a client puts together from
   * consecutive deltas is searched as one, so a key split across two deltas is found too; any other
   * body is searched as bytes across its chunks.
   */
  body(headers: IncomingHttpHeaders): BodyRedactor {
    return isEventStream(headers) ? new EventStreamRedactor(this.matchers) : new BytesRedactor(this.matchers);
  }
}

export function isEventStream(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').includes('text/event-stream');
}

/**
 * Any body, as bytes. The key's spellings are ASCII, so reading the bytes as latin1 (one character per
 * byte) finds them without decoding UTF-8, and masking one character per byte keeps the length.
 */
class BytesRedactor implements BodyRedactor {
  private readonly mask: KeyStreamMask;

  constructor(matchers: readonly KeyMatcher[]) {
    this.mask = new KeyStreamMask(matchers);
  }

  push(chunk: Buffer): Buffer {
    return Buffer.from(this.mask.push(chunk.toString('latin1')), 'latin1');
  }

  end(): Buffer {
    return Buffer.from(this.mask.end(), 'latin1');
  }
}

/** A blank line ends a server-sent event (any of the three line endings SSE allows). */
const EVENT_END = /\r\n\r\n|\n\n|\r\r/;

interface DeltaStream {
  readonly index: unknown;
  readonly field: string;
  /** The delta's type (`text_delta`, `input_json_delta`, …), for a delta that carries the held-back rest. */
  type: unknown;
  readonly mask: KeyStreamMask;
}

/**
 * A Messages API stream: whole events are masked as text, and each string field of a content block's
 * deltas (text, partial_json, thinking, …) is masked as one stream per block, holding back a possible
 * start of the key until the next delta (or the block's end) shows whether it is one.
 */
class EventStreamRedactor implements BodyRedactor {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private readonly deltas = new Map<string, DeltaStream>();

  constructor(private readonly matchers: readonly KeyMatcher[]) {}

  push(chunk: Buffer): Buffer {
    this.pending += this.decoder.write(chunk);
    let out = '';
    for (let match = EVENT_END.exec(this.pending); match; match = EVENT_END.exec(this.pending)) {
      const end = match.index + match[0].length;
      out += this.event(this.pending.slice(0, end));
      this.pending = this.pending.slice(end);
    }
    return Buffer.from(out, 'utf8');
  }

  end(): Buffer {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    const tail = rest === '' ? '' : this.event(rest);
    return Buffer.from(this.flush(() => true) + tail, 'utf8');
  }

  private event(raw: string): string {
    const masked = replaceKeys(raw, this.matchers, sameLengthMask).text;
    const lines = masked.split(/\r\n|\r|\n/);
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, ''));
    const json = data.length > 0 ? eventSchema.safeParse(parseJson(data.join('\n'))).data : undefined;
    if (json?.type === 'content_block_stop') return this.flush((d) => d.index === json.index) + masked;
    if (json?.type === 'message_stop') return this.flush(() => true) + masked;
    if (json?.type !== 'content_block_delta' || json.delta === undefined) return masked;
    const delta = { ...json.delta };
    let changed = false;
    for (const [field, value] of Object.entries(delta)) {
      if (field === 'type' || typeof value !== 'string') continue;
      const stream = this.deltaStream(json.index, field, delta.type);
      const safe = stream.mask.push(value);
      if (safe !== value) {
        delta[field] = safe;
        changed = true;
      }
    }
    if (!changed) return masked;
    const others = lines.filter((l) => l !== '' && !l.startsWith('data:'));
    return [...others, `data: ${JSON.stringify({ ...json, delta })}`, '', ''].join('\n');
  }

  private deltaStream(index: unknown, field: string, type: unknown): DeltaStream {
    const key = `${JSON.stringify(index)}:${field}`;
    let stream = this.deltas.get(key);
    if (stream === undefined) {
      stream = { index, field, type, mask: new KeyStreamMask(this.matchers) };
      this.deltas.set(key, stream);
    }
    stream.type = type;
    return stream;
  }

  /** What the chosen delta streams held back, as deltas of their own (before the event that ends them). */
  private flush(which: (stream: DeltaStream) => boolean): string {
    let out = '';
    for (const [key, stream] of this.deltas) {
      if (!which(stream)) continue;
      this.deltas.delete(key);
      const rest = stream.mask.end();
      if (rest === '') continue;
      const event = { type: 'content_block_delta', index: stream.index, delta: { type: stream.type, [stream.field]: rest } };
      out += `event: content_block_delta\ndata: ${JSON.stringify(event)}\n\n`;
    }
    return out;
  }
}

/** The parts of an event the redactor reads; anything else in it is passed on as it came. */
const eventSchema = z.object({ type: z.string(), index: z.unknown(), delta: z.record(z.string(), z.unknown()).optional() }).loose();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
