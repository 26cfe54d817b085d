import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in API server that is not the simulator: it answers every request by echoing the key it
 * received, the way a hostile or careless gateway might — in headers, in a JSON body (raw, with every
 * character JSON-escaped, percent-encoded), and in a stream's text and tool-input deltas, split across
 * two deltas and across network chunks at a different place for each answer.
 */
export interface EchoingUpstream {
  readonly url: string;
  /** How many requests it answered. */
  readonly answered: () => number;
  close(): Promise<void>;
}

/** The kinds of answer, chosen by the request's `x-echo-kind` header (the test's choice). */
export const ECHO_KINDS = ['json', 'text-stream', 'tool-stream', 'byte-stream', 'error'] as const;
export type EchoKind = (typeof ECHO_KINDS)[number];

/** Every character as a JSON `\u00xx` escape (upper-case hex when `upper`). */
export function escapedEverywhere(key: string, upper = false): string {
  return [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).map((s) => (upper ? s.toUpperCase().replace('\\U', '\\u') : s)).join('');
}

const USAGE = { input_tokens: 12, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
const sse = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export async function startEchoingUpstream(): Promise<EchoingUpstream> {
  let answered = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      answered += 1;
      void answer(req, res, Number(req.headers['x-echo-split'] ?? 1)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answered: () => answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, split: number): Promise<void> {
  const key = String(req.headers['x-api-key'] ?? '');
  const kind = (req.headers['x-echo-kind'] ?? 'json') as EchoKind;
  const at = Math.max(1, Math.min(key.length - 1, split));
  const echoHeaders = { 'x-echo-key': key, 'x-echo-url': `https://gateway.test/?key=${encodeURIComponent(key)}`, 'request-id': `req_echo_${at}` };
  if (req.url?.includes('/v1/models') || req.url?.includes('count_tokens')) {
    const body = `{"input_tokens": 3, "data": [{"id": "model-for-${key}", "type": "model"}], "note": "${escapedEverywhere(key)}"}`;
    res.writeHead(200, { 'content-type': 'application/json', ...echoHeaders });
    return void res.end(body);
  }
  if (kind === 'error') {
    const body = JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key: ${key} (${encodeURIComponent(key)})` } });
    res.writeHead(401, { 'content-type': 'application/json', ...echoHeaders });
    return void res.end(body);
  }
  if (kind === 'json') {
    // The escaped spelling goes in as raw text, as a server that escapes every character would write it.
    const message = { id: 'msg_echo', type: 'message', role: 'assistant', model: 'claude-echo', content: [{ type: 'text', text: `You sent ${key}.` }, { type: 'text', text: 'ESCAPED' }], stop_reason: 'end_turn', stop_sequence: null, usage: { ...USAGE, output_tokens: 9 } };
    const body = JSON.stringify(message).replace('ESCAPED', escapedEverywhere(key, at % 2 === 0));
    res.writeHead(200, { 'content-type': 'application/json', ...echoHeaders });
    return void res.end(body);
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', ...echoHeaders });
  const start = sse('message_start', { message: { id: 'msg_echo', type: 'message', role: 'assistant', model: 'claude-echo', content: [], stop_reason: null, usage: USAGE } });
  const end = [sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 20 } }), sse('message_stop', {})];
  let events: string[];
  if (kind === 'tool-stream') {
    // Tool input is JSON text in pieces; the key in it JSON-escaped, split between two pieces.
    const json = `{"token": "${escapedEverywhere(key)}", "again": "${key}"}`;
    const cut = Math.min(json.length - 1, 12 + at * 6);
    events = [
      sse('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_echo', name: 'write_file', input: {} } }),
      sse('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: json.slice(0, cut) } }),
      sse('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: json.slice(cut) } }),
      sse('content_block_stop', { index: 0 }),
    ];
  } else {
    const text = `The key is ${key}, again: ${key}`;
    const cut = 'The key is '.length + at;
    events = [
      sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text.slice(0, cut) } }),
      sse('ping', {}),
      sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: text.slice(cut) } }),
      sse('content_block_stop', { index: 0 }),
    ];
  }
  const body = [start, ...events, ...end].join('');
  // Network chunks cut through the key too: a few pieces for a stream, one byte at a time for byte-stream.
  const first = body.indexOf(key.slice(0, 8));
  const pieces = kind === 'byte-stream' ? [...body] : [body.slice(0, first + at), body.slice(first + at, first + at + 3), body.slice(first + at + 3)];
  for (const piece of pieces) {
    res.write(piece);
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}
