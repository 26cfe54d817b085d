import Anthropic from '@anthropic-ai/sdk';
import { EnvironmentWorker } from '@anthropic-ai/sdk/lib/environments/worker';
import type { BetaRunnableTool } from '@anthropic-ai/sdk/lib/tools/BetaRunnableTool';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

export const MODEL = 'claude-sonnet-5-5';

/** The controller's client: an API key, no retries (a refusal shows at once). */
export function apiClient(sim: Simulator): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: sim.url, maxRetries: 0 });
}

/** A custom tool the SDK's runner can run: its definition plus `run`, recording every call. */
export function recordingTool(name: string, calls: { name: string; input: unknown; worker: string }[], worker: string, answer: (input: Record<string, unknown>) => string = () => `${name} ok`): BetaRunnableTool<Record<string, unknown>> {
  return {
    type: 'custom',
    name,
    description: `the ${name} tool`,
    input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    parse: (input: unknown) => (typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {}),
    run: (input: Record<string, unknown>) => {
      calls.push({ name, input, worker });
      return answer(input);
    },
  };
}

/** An agent whose custom tools have the given names, and a self-hosted environment with its key. */
export async function agentAndEnvironment(sim: Simulator, tools: readonly string[]): Promise<{ client: Anthropic; agentId: string; environmentId: string; environmentKey: string }> {
  const client = apiClient(sim);
  const agent = await client.beta.agents.create({
    name: 'test agent',
    model: MODEL,
    system: 'You are a test agent.',
    tools: tools.map((name) => ({ type: 'custom' as const, name, description: `the ${name} tool`, input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } })),
  });
  const environment = await client.beta.environments.create({ name: 'test environment', config: { type: 'self_hosted' } });
  return { client, agentId: agent.id, environmentId: environment.id, environmentKey: sim.managedAgents.environmentKey(environment.id) };
}

/**
 * The SDK's own EnvironmentWorker, unchanged, pointed at the simulator with only the environment key
 * (its client has no API key). Returns a stop function that ends its run loop.
 */
export function startWorker(sim: Simulator, options: { environmentId: string; environmentKey: string; tools: BetaRunnableTool[]; workerId: string; maxIdleMs?: number }): { stop: () => Promise<void>; done: Promise<void> } {
  const controller = new AbortController();
  const client = new Anthropic({ apiKey: null, authToken: options.environmentKey, baseURL: sim.url, maxRetries: 1, logLevel: 'off' });
  const worker = new EnvironmentWorker({
    client,
    environmentId: options.environmentId,
    environmentKey: options.environmentKey,
    tools: options.tools,
    workerId: options.workerId,
    maxIdleMs: options.maxIdleMs ?? 200,
    memorySyncIntervalMs: null,
  });
  const done = worker.run(controller.signal).catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return {
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** Waits (polling the platform, not sleeping a fixed time) until the session's history has an event that matches. */
export async function waitForEvent(sim: Simulator, sessionId: string, match: (event: BetaManagedAgentsSessionEvent) => boolean, timeoutMs = 15_000): Promise<BetaManagedAgentsSessionEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = sim.managedAgents.session(sessionId).events.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`session ${sessionId}: no matching event within ${timeoutMs} ms; saw ${sim.managedAgents.session(sessionId).events.map((e) => e.type).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isIdle(reason: string): (event: BetaManagedAgentsSessionEvent) => boolean {
  return (event) => event.type === 'session.status_idle' && event.stop_reason.type === reason;
}

export function userText(text: string): { type: 'user.message'; content: { type: 'text'; text: string }[] } {
  return { type: 'user.message', content: [{ type: 'text', text }] };
}
