import { demoResponder } from '../simulator/demo/demoResponder';
import { startSimulator } from '../simulator/simulator';
import { UsageError } from './usageError';
import { parseApiBase } from '../core/llm/apiBase';

export interface Endpoint {
  readonly apiKey: string;
  readonly baseURL?: string;
  readonly simulated: boolean;
  close(): Promise<void>;
}

/**
 * Where one CLI run sends model calls: the built-in simulator with `--simulate` (no key, no network),
 * else the Anthropic API with ANTHROPIC_API_KEY (optionally at --api-base). The key is never printed.
 */
export async function resolveEndpoint(options: { simulate: boolean; apiBase?: string }): Promise<Endpoint> {
  const baseURL = options.apiBase === undefined ? undefined : parseApiBase(options.apiBase); // malformed: exit 2, even with --simulate
  if (options.simulate) {
    const simulator = await startSimulator({ responder: demoResponder() });
    return { apiKey: 'simulated', baseURL: simulator.url, simulated: true, close: () => simulator.close() };
  }
  const apiKey = process.env.ANTHROPIC_API_KEY;
  if (!apiKey) throw new UsageError('set ANTHROPIC_API_KEY, or pass --simulate to run offline with the built-in simulated model');
  return { apiKey, baseURL, simulated: false, close: async () => undefined };
}
