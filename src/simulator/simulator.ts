import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimulatedApiError } from './apiErrors';
import { BillingLog } from './billingLog';
import { BUILTIN_MODELS } from './builtinModels';
import { maskHeaders, parseJson, readBody, sendError, sendJson } from './httpIo';
import { ControlPlane } from './managedAgents/controlPlane';
import { isManagedAgentsPath, routeManagedAgents } from './managedAgents/managedAgentsRoutes';
import { handleMessages, requireModel } from './messagesEndpoint';
import { getModel, listModels } from './modelsEndpoint';
import { PromptCache } from './promptCache';
import { promptSegments, totalTokens } from './promptSegments';
import { RateLimiter } from './rateLimiter';
import { parseRequest, promptRequestSchema } from './requestSchema';
import { defaultResponder } from './responders';
import type { Exchange, SimulatorContext } from './simulatorContext';
import type { Fault, RecordedRequest, Responder, Simulator, SimulatorOptions } from './simulatorTypes';
import { errorMessage } from '../core/errorText';

/**
 * Start the Messages API stand-in on 127.0.0.1 with an ephemeral port. The official SDK talks to
 * it unchanged: pass `sim.url` as `baseURL`.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  let clockOffset = 0;
  const now = options.clock ?? ((): number => Date.now() + clockOffset);
  const closing = new AbortController();
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const sockets = new Set<Socket>();
  let responder: Responder = options.responder ?? defaultResponder;
  let counter = 0;
  const serial = (): string => String(++counter).padStart(6, '0');

  const billing = new BillingLog(options.onAnswered);
  const ctx: SimulatorContext = {
    now,
    models: options.models ?? BUILTIN_MODELS,
    responder: () => responder,
    cache: new PromptCache(),
    limiter: new RateLimiter(options.rateLimit),
    billing,
    takeFault: () => faults.shift(),
    nextId: (prefix) => `${prefix}_sim${serial()}`,
    delay: (ms) => (ms > 0 ? sleep(ms, undefined, { signal: closing.signal }) : Promise.resolve()),
  };

  const plane = new ControlPlane(ctx, options.managedAgents);
  const server = createServer((req, res) => {
    void handleRequest(ctx, plane, req, res, options.latencyMs ?? 0, requests, `req_sim${serial()}`, closing.signal);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator: server has no TCP address');

  const simulator: Simulator = {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    setResponder(next) {
      responder = next;
    },
    injectFaults(...next) {
      faults.push(...next);
    },
    billed: (model) => billing.billed(model),
    managedAgents: plane.control(),
    billedRequests: () => billing.requests(),
    close() {
      closing.abort();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
  if (!options.clock) {
    simulator.advanceClock = (ms) => {
      clockOffset += ms;
    };
  }
  return simulator;
}

async function handleRequest(
  ctx: SimulatorContext,
  plane: ControlPlane,
  req: IncomingMessage,
  res: ServerResponse,
  latencyMs: number,
  log: RecordedRequest[],
  requestId: string,
  closing: AbortSignal,
): Promise<void> {
  const at = ctx.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers = { 'request-id': requestId };
  try {
    const { text, tooLarge } = await readBody(req);
    const record: RecordedRequest = { id: requestId, method: req.method ?? 'GET', path: url.pathname, headers: maskHeaders(req.headers), body: parseJson(text), at };
    log.push(record);
    await ctx.delay(latencyMs);
    if (tooLarge) throw new SimulatedApiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.');
    checkHeaders(req);
    const ex = { req, res, record, headers };
    if (isManagedAgentsPath(url.pathname)) await routeManagedAgents(plane, ex, url, closing);
    else await route(ctx, ex, url);
  } catch (error) {
    if (closing.aborted || res.destroyed) return;
    const apiError =
      error instanceof SimulatedApiError
        ? error
        : new SimulatedApiError('api_error', `simulator failure: ${errorMessage(error)}`);
    if (res.headersSent) res.destroy();
    else sendError(res, apiError, requestId, headers);
  }
}

function checkHeaders(req: IncomingMessage): void {
  if (!req.headers['x-api-key'] && !req.headers.authorization) {
    throw new SimulatedApiError('authentication_error', 'x-api-key header is required');
  }
  if (!req.headers['anthropic-version']) {
    throw new SimulatedApiError('invalid_request_error', 'anthropic-version: header is required');
  }
}

async function route(ctx: SimulatorContext, ex: Exchange, url: URL): Promise<void> {
  const { method } = ex.req;
  const path = url.pathname.replace(/\/+$/, '');
  if (method === 'POST' && path === '/v1/messages') return handleMessages(ctx, ex);
  if (method === 'POST' && path === '/v1/messages/count_tokens') {
    const request = parseRequest(promptRequestSchema, ex.record.body);
    requireModel(ctx, request.model);
    return sendJson(ex.res, 200, { input_tokens: totalTokens(promptSegments(request)) }, ex.headers);
  }
  if (method === 'GET' && path === '/v1/models') return sendJson(ex.res, 200, listModels(ctx.models, url.searchParams), ex.headers);
  const modelId = /^\/v1\/models\/([^/]+)$/.exec(path)?.[1];
  if (method === 'GET' && modelId) return sendJson(ex.res, 200, getModel(ctx.models, decodeURIComponent(modelId)), ex.headers);
  throw new SimulatedApiError('not_found_error', `Not found: ${method ?? ''} ${url.pathname}`);
}
