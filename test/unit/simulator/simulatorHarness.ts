import Anthropic from '@anthropic-ai/sdk';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

export const MODEL = 'claude-sonnet-5-5'; // minimum cacheable prefix 1,024 tokens in the built-in table

export function sdkClient(sim: Simulator): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: sim.url, maxRetries: 0 });
}

/** A manual clock: tests move time explicitly, so TTL and rate windows never depend on the machine. */
export function manualClock(start = Date.UTC(2026, 0, 15, 12, 0, 0)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** A request without the SDK, to see the exact bytes the simulator sends. */
export async function rawPost(sim: Simulator, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

export interface ParsedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Split an SSE body into events; every data line must be JSON (a malformed stream throws here). */
export function parseSse(text: string): ParsedEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const lines = chunk.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice('data: '.length) ?? '';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** A text long enough to make a prompt of roughly `tokens` tokens (4 characters per token). */
export function filler(tokens: number, seed = 'a'): string {
  return seed.repeat(tokens * 4);
}

export function userMessage(text: string): { role: 'user'; content: string } {
  return { role: 'user', content: text };
}
