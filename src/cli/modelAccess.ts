import { LlmClient } from '../core/llm/llmClient';
import { RateLimiter } from '../core/llm/rateLimiter';
import type { Logger } from '../core/logger';
import type { UsageRecord } from '../core/llm/usageRecord';
import type { Settings } from '../core/settings/settingsSchema';
import { demoResponder } from '../simulator/demo/demoResponder';
import { startSimulator } from '../simulator/simulator';
import { UsageError } from './usageError';

export interface ModelAccess {
  readonly client: LlmClient;
  readonly simulated: boolean;
  close(): Promise<void>;
}

/**
 * The model client for one CLI run: the built-in simulator with `--simulate` (no key, no network),
 * else the Anthropic API with ANTHROPIC_API_KEY. The key is read here and never printed.
 */
export async function openModelAccess(options: {
  simulate: boolean;
  apiBase?: string;
  settings: Settings;
  logger: Logger;
  recordUsage: (record: UsageRecord) => Promise<void>;
  beforeCall?: (worstCaseUsd: number | null, request: { model: string }) => void;
}): Promise<ModelAccess> {
  const limiter = new RateLimiter({ maxConcurrency: options.settings['batch.concurrency'] + 2 });
  const common = { recordUsage: options.recordUsage, beforeCall: options.beforeCall, limiter, pricing: options.settings['llm.pricing'], logger: options.logger };
  if (options.simulate) {
    const simulator = await startSimulator({ responder: demoResponder() });
    const client = new LlmClient({ ...common, apiKey: 'simulated', baseURL: simulator.url });
    return { client, simulated: true, close: () => simulator.close() };
  }
  const apiKey = process.env.ANTHROPIC_API_KEY;
  if (!apiKey) throw new UsageError('set ANTHROPIC_API_KEY, or pass --simulate to run offline with the built-in simulated model');
  const client = new LlmClient({ ...common, apiKey, baseURL: options.apiBase });
  return { client, simulated: false, close: async () => undefined };
}
