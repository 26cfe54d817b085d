import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../src/core/logger';
import { LlmClient, type CallMeta, type LlmClientOptions } from '../../../src/core/llm/llmClient';
import { RateLimiter } from '../../../src/core/llm/rateLimiter';
import type { Sleep } from '../../../src/core/llm/sleep';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

export const META: CallMeta = { workspace: 'ws', batchId: 'b1', ticketId: 'T1', stage: 'work', tier: 'balanced' };

/** Real time plus whatever the client "slept": retries and limiter pauses cost no wall time. */
export function fastTime() {
  let offset = 0;
  const sleeps: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    signal?.throwIfAborted();
    sleeps.push(ms);
    offset += ms;
  };
  return { clock: () => Date.now() + offset, sleep, sleeps };
}

export function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, trace() {}, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

export interface Kit {
  client: LlmClient;
  records: UsageRecord[];
  time: ReturnType<typeof fastTime>;
  limiter: RateLimiter;
  logger: ReturnType<typeof recordingLogger>;
}

export function makeClient(baseURL: string, options: Partial<LlmClientOptions> = {}): Kit {
  const time = fastTime();
  const records: UsageRecord[] = [];
  const logger = recordingLogger();
  const limiter = new RateLimiter({ maxConcurrency: 4, clock: time.clock, sleep: time.sleep });
  const client = new LlmClient({
    apiKey: 'sk-test',
    baseURL,
    recordUsage: (record) => {
      records.push(record);
    },
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    limiter,
    logger,
    ...options,
  });
  return { client, records, time, limiter, logger };
}

export async function withSimulator(run: (sim: Simulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator();
  try {
    await run(sim);
  } finally {
    await sim.close();
  }
}

/** Sum of the ledger per token class, to hold against what the simulator billed. */
export function ledgerTotals(records: readonly UsageRecord[]) {
  const sum = (pick: (r: UsageRecord) => number) => records.reduce((total, r) => total + pick(r), 0);
  return {
    inputTokens: sum((r) => r.inputTokens),
    outputTokens: sum((r) => r.outputTokens),
    cacheWrite5mTokens: sum((r) => r.cacheWrite5mTokens),
    cacheWrite1hTokens: sum((r) => r.cacheWrite1hTokens),
    cacheReadTokens: sum((r) => r.cacheReadTokens),
  };
}

/**
 * A 127.0.0.1 server that starts a stream (message_start and one text delta) and then goes silent,
 * for the cases the simulator cannot stage: a stall in the middle of a stream.
 */
export async function startStallingServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_stall' });
    const event = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    event('message_start', {
      type: 'message_start',
      message: { id: 'msg_stall', type: 'message', role: 'assistant', model: 'claude-sonnet-5-5', content: [], usage: { input_tokens: 42, output_tokens: 1 } },
    });
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
