import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimulatedApiError } from './apiErrors';
import { formatSse, type SseEvent } from './sseEvents';

/** The API refuses bodies over 32 MB with 413 request_too_large. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    else chunks.push(buffer);
  }
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge };
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: SimulatedApiError, requestId: string, headers: Record<string, string>): void {
  sendJson(res, error.status, error.body(requestId), { ...headers, ...error.headers });
}

export function startEventStream(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  res.flushHeaders();
}

/** Write and wait until the bytes reached the socket (or the peer went away), honouring backpressure. */
export function writeFlushed(res: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) {
      resolve();
      return;
    }
    const onClose = (): void => resolve();
    res.once('close', onClose);
    res.write(text, () => {
      res.off('close', onClose);
      resolve();
    });
  });
}

export interface WriteEventsOptions {
  cutAfterEvents?: number; // destroy the socket once this many events are on the wire
  onWritten?: (event: SseEvent) => void;
}

/** Stream events; a cut stream ends with a destroyed socket, as a dropped connection would. */
export async function writeEvents(res: ServerResponse, events: readonly SseEvent[], options: WriteEventsOptions = {}): Promise<void> {
  let written = 0;
  for (const event of events) {
    if (options.cutAfterEvents !== undefined && written >= options.cutAfterEvents) break;
    if (res.destroyed) return;
    await writeFlushed(res, formatSse(event));
    written += 1;
    options.onWritten?.(event);
  }
  if (options.cutAfterEvents !== undefined && written < events.length) {
    res.socket?.destroy();
    res.destroy();
    return;
  }
  res.end();
}

export function maskHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[name] = name === 'x-api-key' || name === 'authorization' ? '***' : text;
  }
  return out;
}
