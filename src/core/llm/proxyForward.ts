import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Headers that belong to one hop (RFC 9110 §7.6.1) or that the proxy sets itself. */
const NOT_FORWARDED = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'x-api-key',
  'authorization',
  'accept-encoding',
]);

export interface Upstream {
  /** The API's base URL (the real API or the simulator), possibly with a path prefix. */
  readonly baseURL: string;
  readonly apiKey: string;
}

/** What the client sent, with its credentials replaced by the real key. */
export function upstreamHeaders(headers: IncomingHttpHeaders, apiKey: string, bodyLength: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // Identity encoding: the proxy reads usage from the bytes it passes on, and passes them on as they are.
  out['accept-encoding'] = 'identity';
  out['x-api-key'] = apiKey;
  out['content-length'] = String(bodyLength);
  return out;
}

/** The upstream's answer headers as the client may see them. */
export function clientHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || (NOT_FORWARDED.has(name) && name !== 'content-length')) continue;
    out[name] = value;
  }
  return out;
}

/** Starts the upstream request; resolves with its response, rejects on a connection failure. */
export function sendUpstream(upstream: Upstream, method: string, pathAndQuery: string, headers: Record<string, string>, body: Buffer, abort: AbortSignal): Promise<IncomingMessage> {
  const url = new URL(upstream.baseURL.replace(/\/+$/, '') + pathAndQuery);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, signal: abort }, resolve);
    req.on('error', reject);
    req.end(body);
  });
}

/** What the proxy passes to its client instead of an upstream body: the same bytes, minus the key (proxyRedaction.ts). */
export interface BodyRedactor {
  /** The part of `chunk` (with what was held back before it) that is safe to pass on now. */
  push(chunk: Buffer): Buffer;
  /** Everything still held back, once the body has ended. */
  end(): Buffer;
}

/**
 * Passes the upstream body to the client chunk by chunk as it arrives, honouring backpressure, through
 * `redactor` (which takes the real key out). `onChunk` sees each upstream chunk first and answers
 * whether it must be held back: from the chunk that completes the answer on, bytes wait until
 * `beforeEnd` has run, so the usage record is on disk before the client can use the answer. Resolves
 * once either side has ended.
 */
export function relayBody(upstream: IncomingMessage, res: ServerResponse, redactor: BodyRedactor, onChunk: (chunk: Buffer) => boolean, beforeEnd: (complete: boolean) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const held: Buffer[] = [];
    let settled = false;
    const settle = async (complete: boolean) => {
      if (settled) return;
      settled = true;
      try {
        await beforeEnd(complete);
        if (complete && !res.destroyed) res.end(Buffer.concat([...held, redactor.end()]));
        else res.destroy();
      } catch {
        // The record could not be written: the answer is withheld, as Flotilla's own client does.
        res.destroy();
      }
      resolve();
    };
    upstream.on('data', (chunk: Buffer) => {
      const hold = onChunk(chunk);
      const safe = redactor.push(chunk);
      if (hold || held.length > 0) {
        held.push(safe);
      } else if (safe.length > 0 && !res.destroyed && !res.write(safe)) {
        upstream.pause();
        res.once('drain', () => upstream.resume());
      }
    });
    upstream.on('end', () => void settle(true));
    upstream.on('error', () => void settle(false));
    upstream.on('close', () => void settle(upstream.complete));
    res.on('close', () => {
      if (!res.writableFinished) {
        upstream.destroy();
        void settle(false);
      }
    });
  });
}
