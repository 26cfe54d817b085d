import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BillingLog } from './billingLog';
import type { PromptCache } from './promptCache';
import type { RateLimiter } from './rateLimiter';
import type { Fault, RecordedRequest, Responder, SimulatedModel } from './simulatorTypes';

/** The simulator's state, as the endpoint handlers see it. */
export interface SimulatorContext {
  now(): number;
  readonly models: readonly SimulatedModel[];
  responder(): Responder;
  readonly cache: PromptCache;
  readonly limiter: RateLimiter;
  readonly billing: BillingLog;
  takeFault(): Fault | undefined;
  nextId(prefix: 'msg' | 'toolu'): string;
  /** Resolves after ms, or rejects once the simulator is closing (so no handler outlives close()). */
  delay(ms: number): Promise<void>;
}

/** One HTTP exchange, already logged; `body` is the parsed JSON (undefined when it did not parse). */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  headers: Record<string, string>; // request-id and the other headers every response carries
}
