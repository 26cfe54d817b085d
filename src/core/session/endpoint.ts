import { randomBytes } from 'node:crypto';
import { parseApiBase } from '../llm/apiBase';
import { apiKeyProblem, UnusableApiKeyError } from '../llm/apiKeyShape';
import { demoResponder } from '../../simulator/demo/demoResponder';
import { startSimulator } from '../../simulator/simulator';

/** Where a batch's model calls go, and how to let go of it afterwards. */
export interface ModelEndpoint {
  readonly apiKey: string;
  readonly baseURL?: string;
  /** The built-in simulator answers: nothing is billed, and the UI says so. */
  readonly simulated: boolean;
  close(): Promise<void>;
}

export interface EndpointChoice {
  readonly simulated: boolean;
  /** The user's key (ANTHROPIC_API_KEY for the CLI, SecretStorage for the editor); unused when simulated. */
  readonly apiKey?: string;
  /** Another Messages API endpoint (`--api-base`); checked even when simulated, so a typo is never silent. */
  readonly apiBase?: string;
  /** Test hook: every simulated answer waits this long. */
  readonly simulatorLatencyMs?: number;
}

/** The Anthropic provider is chosen and no key is set: nothing was started. */
export class ApiKeyMissingError extends Error {
  override readonly name = 'ApiKeyMissingError';
  /** What to do about it, worded for each front end. */
  readonly nextStep = {
    editor: 'Set an API key (Flotilla: Set API Key), or choose the simulated model to run offline.',
    terminal: 'Set ANTHROPIC_API_KEY, or pass --simulate to run offline with the built-in simulated model.',
  } as const;

  constructor() {
    super('No Anthropic API key is set.');
  }
}

/**
 * The one place that decides where model calls go, for both front ends: the built-in simulator (a
 * real loopback HTTP server, started for this batch and stopped by close()), or the Anthropic API with
 * the user's key — refused (UnusableApiKeyError) when it cannot be one. The key is never logged or stored.
 */
export async function openEndpoint(choice: EndpointChoice): Promise<ModelEndpoint> {
  const baseURL = choice.apiBase === undefined ? undefined : parseApiBase(choice.apiBase);
  if (choice.simulated) {
    const simulator = await startSimulator({ responder: demoResponder(), latencyMs: choice.simulatorLatencyMs ?? 0 });
    // Any key will do for the simulator; a random one, since the metering proxy masks the upstream's key
    // in everything it relays and a word like "simulated" would be masked in the model's text.
    return { apiKey: `flotilla-simulated-${randomBytes(12).toString('hex')}`, baseURL: simulator.url, simulated: true, close: () => simulator.close() };
  }
  if (!choice.apiKey) throw new ApiKeyMissingError();
  const problem = apiKeyProblem(choice.apiKey);
  if (problem !== undefined) throw new UnusableApiKeyError(problem);
  return { apiKey: choice.apiKey, ...(baseURL === undefined ? {} : { baseURL }), simulated: false, close: async () => undefined };
}
