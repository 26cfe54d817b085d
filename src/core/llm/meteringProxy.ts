import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { z } from 'zod';
import { errorMessage } from '../errorText';
import type { Logger } from '../logger';
import { BudgetExceededError } from '../store/budget';
import type { ModelCost } from './modelCost';
import { sendProxyError } from './proxyErrors';
import { meterExchange, type UsageMeter } from './proxyExchange';
import { relayBody, sendUpstream, upstreamHeaders, type Upstream } from './proxyForward';
import { ProxyKeyRedaction } from './proxyRedaction';
import { ProxyRun, type ProxyRunLimits, type ProxyRunTags } from './proxyRun';
import { proxyCallSizing, sizedRequestBody } from './proxySizing';
import type { UsageRecord } from './usageRecord';

export type { UsageMeter } from './proxyExchange';

export interface MeteringProxyOptions {
  readonly upstream: Upstream;
  /** The batch's ledger and budget guard (BatchRuntime.meter). */
  readonly meter: UsageMeter;
  readonly cost: ModelCost;
  readonly logger: Logger;
  readonly clock?: () => number;
}

/** The API refuses bodies over 32 MB; so does the proxy, before reading more. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const messagesBodySchema = z
  .object({ model: z.string().min(1), max_tokens: z.number().int().positive(), system: z.unknown().optional(), messages: z.unknown(), tools: z.unknown().optional(), tool_choice: z.unknown().optional(), thinking: z.unknown().optional() })
  .loose();
const countSchema = z.object({ input_tokens: z.number().int().nonnegative() }).loose();
/** A token count is a budget refinement, not worth holding a worker up for long. */
const COUNT_TIMEOUT_MS = 15_000;

/**
 * The metering proxy (ARCHITECTURE.md idea 9): a loopback HTTP server that a Claude Code worker uses
 * as its API. Each request must carry the batch's random token as its key; the proxy swaps it for
 * the real key, checks the budget with the request's worst case (sizing its max_tokens down to the
 * budget left when the full one does not fit), forwards, streams the answer back byte for byte and
 * writes one usage record per attempt from what the server sent. The real key never leaves this
 * process and is never logged; an answer that echoes it reaches the worker with it masked
 * (proxyRedaction.ts), in its headers, its body and the text of its stream.
 */
export class MeteringProxy {
  private readonly runs = new Map<string, ProxyRun>();
  private readonly sockets = new Set<Socket>();
  private readonly clock: () => number;
  private readonly redaction: ProxyKeyRedaction;

  private constructor(
    private readonly server: Server,
    private readonly port: number,
    /** Given to every worker of the batch as its API key; worthless anywhere but here. */
    readonly token: string,
    private readonly options: MeteringProxyOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.redaction = new ProxyKeyRedaction([options.upstream.apiKey]);
  }

  static async start(options: MeteringProxyOptions): Promise<MeteringProxy> {
    const token = `flotilla-proxy-${randomBytes(24).toString('hex')}`;
    // The handler needs the proxy, the proxy needs the listening server's port.
    const holder: { proxy?: MeteringProxy } = {};
    const server = createServer((req, res) => {
      void holder.proxy?.handle(req, res).catch((error: unknown) => {
        options.logger.error(`metering proxy: ${errorMessage(error)}`);
        sendProxyError(res, 'api_error', 'The Flotilla metering proxy failed on this request.');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('metering proxy: the server has no TCP address');
    const proxy = new MeteringProxy(server, address.port, token, options);
    holder.proxy = proxy;
    server.on('connection', (socket) => {
      proxy.sockets.add(socket);
      socket.once('close', () => proxy.sockets.delete(socket));
    });
    return proxy;
  }

  /** A run's own base URL (its id in the path), for ANTHROPIC_BASE_URL. */
  openRun(tags: ProxyRunTags, limits: ProxyRunLimits, onRecord?: (record: UsageRecord, run: ProxyRun) => void): ProxyRun {
    const id = randomBytes(8).toString('hex');
    const run = new ProxyRun(id, `http://127.0.0.1:${this.port}/run/${id}`, tags, limits, onRecord);
    this.runs.set(id, run);
    return run;
  }

  async close(): Promise<void> {
    for (const run of this.runs.values()) run.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/run\/([0-9a-f]+)(\/.*)$/.exec(url.pathname);
    const run = match ? this.runs.get(match[1] as string) : undefined;
    if (!this.authorized(req)) return sendProxyError(res, 'authentication_error', 'invalid x-api-key');
    if (!match || !run || run.closed) return sendProxyError(res, 'authentication_error', 'This worker run is not (or no longer) open on the Flotilla metering proxy.');
    const path = (match[2] as string).replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const metered = method === 'POST' && path === '/v1/messages';
    const free = (method === 'POST' && path === '/v1/messages/count_tokens') || (method === 'GET' && /^\/v1\/models(\/[^/]+)?$/.test(path));
    if (!metered && !free) return sendProxyError(res, 'not_found_error', `${method} ${path} is not available through the Flotilla metering proxy.`);

    const body = await readBody(req);
    if (body === undefined) return sendProxyError(res, 'invalid_request_error', 'Request exceeds the maximum allowed number of bytes.');
    const headers = upstreamHeaders(req.headers, this.options.upstream.apiKey, body.length);
    const pathAndQuery = `${path}${url.search}`;
    this.options.logger.trace(`metering proxy: ${method} ${path} for ${run.tags.ticketId ?? 'the batch'}`);
    if (!metered) return this.passThrough(res, method, pathAndQuery, headers, body);

    const json = parseJson(body);
    const parsed = messagesBodySchema.safeParse(json);
    if (!parsed.success) return sendProxyError(res, 'invalid_request_error', 'The request body is not a Messages API request (model and max_tokens are required).');
    const countTokens = () => this.countTokens(pathAndQuery, req.headers, parsed.data);
    const attempt = retryAttempt(req);
    const admitted = await this.admit(run, parsed.data, countTokens, attempt);
    if ('refusal' in admitted) return sendProxyError(res, 'permission_error', admitted.refusal);
    // A call sized down to the budget left goes out with that max_tokens (and the length of that body).
    const sent = sizedRequestBody(body, json as Record<string, unknown>, parsed.data, admitted.maxTokens);
    const sentHeaders = sent === body ? headers : upstreamHeaders(req.headers, this.options.upstream.apiKey, sent.length);
    await meterExchange({
      run,
      model: parsed.data.model,
      attempt,
      reservationKey: admitted.key,
      meter: this.options.meter,
      cost: this.options.cost,
      clock: this.clock,
      redaction: this.redaction,
      res,
      send: (abort) => sendUpstream(this.options.upstream, method, pathAndQuery, sentHeaders, sent, abort),
    });
  }

  /**
   * Whether this request may start, and with which max_tokens: not after a stop, not past the run's
   * own caps, and only with a worst case the budget can hold — sized down to the budget left (never
   * below proxyMinMaxTokens), waiting for running calls to settle when that would make it fit.
   */
  private async admit(run: ProxyRun, request: z.infer<typeof messagesBodySchema>, countTokens: () => Promise<number | null>, attempt: number): Promise<{ refusal: string } | { maxTokens: number; key: object }> {
    if (run.stop) return { refusal: `Flotilla stopped this worker: ${run.stop.kind === 'budget' ? run.stop.error.message : run.stop.reason}` };
    const limit = run.limitReached();
    if (limit) {
      run.stop = { kind: 'run-limit', reason: limit };
      return { refusal: `Flotilla stopped this worker: ${limit}` };
    }
    const key = {};
    const sizing = proxyCallSizing({ request, cost: this.options.cost, countTokens, attempt: key, tags: { ...run.tags, attempt } });
    try {
      const allowed = await this.options.meter.beforeCall(sizing.worstCaseFor(request.max_tokens), { model: request.model }, sizing);
      const maxTokens = typeof allowed === 'number' ? Math.max(sizing.minMaxTokens, Math.min(request.max_tokens, Math.floor(allowed))) : request.max_tokens;
      return { maxTokens, key };
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      run.stop = { kind: 'budget', error };
      return { refusal: `Flotilla stopped this worker by budget: ${error.message} ${error.nextStep}` };
    }
  }

  /** The API's count of a request's input tokens (count_tokens is not billed), or null when it cannot be had. */
  private async countTokens(messagesPath: string, incoming: IncomingMessage['headers'], request: z.infer<typeof messagesBodySchema>): Promise<number | null> {
    const { model, system, messages, tools, tool_choice: toolChoice, thinking } = request;
    const body = Buffer.from(JSON.stringify({ model, system, messages, tools, tool_choice: toolChoice, thinking }), 'utf8');
    const headers = upstreamHeaders(incoming, this.options.upstream.apiKey, body.length);
    const path = messagesPath.replace(/^\/v1\/messages/, '/v1/messages/count_tokens');
    try {
      const upstream = await sendUpstream(this.options.upstream, 'POST', path, headers, body, AbortSignal.timeout(COUNT_TIMEOUT_MS));
      const chunks: Buffer[] = [];
      for await (const chunk of upstream) chunks.push(chunk as Buffer);
      if (upstream.statusCode !== 200) return null;
      const counted = countSchema.safeParse(parseJson(Buffer.concat(chunks)));
      return counted.success ? counted.data.input_tokens : null;
    } catch (error) {
      this.options.logger.debug(`metering proxy: token count unavailable, the budget uses the estimate: ${errorMessage(error)}`);
      return null;
    }
  }

  /** count_tokens and the models list: forwarded, not billed, so not recorded. */
  private async passThrough(res: ServerResponse, method: string, pathAndQuery: string, headers: Record<string, string>, body: Buffer): Promise<void> {
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    let upstream: IncomingMessage;
    try {
      upstream = await sendUpstream(this.options.upstream, method, pathAndQuery, headers, body, abort.signal);
    } catch (error) {
      return sendProxyError(res, 'api_error', this.redaction.text(`The API could not be reached: ${errorMessage(error)}`));
    }
    res.writeHead(upstream.statusCode ?? 502, this.redaction.headers(upstream.headers));
    await relayBody(upstream, res, this.redaction.body(upstream.headers), () => false, async () => undefined);
  }

  private authorized(req: IncomingMessage): boolean {
    const key = req.headers['x-api-key'];
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const given = typeof key === 'string' ? key : bearer;
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

/** Claude Code's SDK numbers its retries in this header; the ledger's attempt is 1-based. */
function retryAttempt(req: IncomingMessage): number {
  const n = Number(req.headers['x-stainless-retry-count']);
  return Number.isInteger(n) && n >= 0 ? n + 1 : 1;
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
