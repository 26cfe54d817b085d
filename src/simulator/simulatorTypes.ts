// Public contract of the simulator: the offline stand-in for the Anthropic Messages API.
// Other layers (the LLM client, tests, benchmarks, --simulate) code against these types only.
import type { ManagedAgentsControl, ManagedAgentsOptions } from './managedAgents/managedAgentsTypes';

/** Milliseconds since the epoch; injectable so tests can expire cache entries deterministically. */
export type Clock = () => number;

/** A model the simulator knows: its id and the shortest prefix (in tokens) it will cache. */
export interface SimulatedModel {
  id: string;
  displayName: string;
  minCacheableTokens: number;
  createdAt: string; // RFC 3339, as GET /v1/models reports it
}

export interface SimulatorOptions {
  clock?: Clock;
  responder?: Responder; // default: a responder that answers with a short text
  rateLimit?: { requestsPerMinute?: number; inputTokensPerMinute?: number };
  latencyMs?: number; // added before every response
  /** Called once a model answer was billed whole: a /v1/messages answer written (before the client may have read it), a session's model request. */
  onAnswered?: (request: BilledRequest) => void;
  models?: readonly SimulatedModel[]; // default: the built-in table (ids + min cacheable tokens)
  managedAgents?: ManagedAgentsOptions; // the control plane's pace and leases
}

export type SimulatedContent =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: unknown };

/** One assistant message the responder wants to send. */
export interface SimulatedTurn {
  content: SimulatedContent[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
  outputTokens?: number; // default: derived from the content (chars/4, at least 1)
}

export type Responder = (request: RecordedRequest) => SimulatedTurn;

export type Fault =
  | { kind: 'rate_limit'; retryAfterSeconds: number } // 429 rate_limit_error + retry-after
  | { kind: 'spend_limit' } // 429 whose message says a spend/usage limit was reached
  | { kind: 'overloaded' } // 529 overloaded_error
  | { kind: 'server_error' } // 500 api_error
  | { kind: 'http_error'; status: 400 | 401 | 403 | 404 } // with the API's error types
  | { kind: 'echo_key'; status: 401 | 500 } // an error whose message repeats the key the request sent (some gateways do)
  | { kind: 'sse_error_after_200' } // stream starts, then event: error
  | { kind: 'cut_mid_stream'; afterEvents: number } // socket destroyed after N SSE events
  | { kind: 'latency'; ms: number }
  | { kind: 'never_answer' } // accept, send nothing until closed
  | { kind: 'malformed_sse' } // garbage that is not valid SSE/JSON
  | { kind: 'invalid_tool_json' } // tool_use input_json_delta that does not parse
  | { kind: 'unknown_event' } // an extra event type the SDK does not know
  | { kind: 'huge_response'; bytes: number }; // a text block of that size

export interface RecordedRequest {
  id: string; // the request-id header value the simulator answered with
  method: string;
  path: string;
  headers: Record<string, string>; // lower-case names; x-api-key / authorization masked
  body: unknown; // parsed JSON, or undefined when there was no (valid) body
  at: number; // clock time when the request arrived
}

export interface BilledUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
}

/** One billed /v1/messages request: its usage as put on the wire. */
export interface BilledRequest {
  requestId: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  /** The answer was written whole (false: a stream cut after message_start). */
  answered: boolean;
}

export interface Simulator {
  readonly url: string; // 'http://127.0.0.1:PORT' — pass as the SDK's baseURL
  readonly requests: readonly RecordedRequest[]; // every request, in order (API key header masked)
  setResponder(responder: Responder): void;
  injectFaults(...faults: Fault[]): void; // queued; each applies to the next /v1/messages request
  /** What the simulator reported as usage, incl. usage sent before a cut stream. */
  billed(model?: string): BilledUsage;
  /** The Managed Agents control plane (agents, self-hosted environments and their work, sessions). */
  readonly managedAgents: ManagedAgentsControl;
  /** The same request by request, with the request-id header each answer carried. */
  billedRequests(): readonly BilledRequest[];
  advanceClock?(ms: number): void; // only when no clock was injected (optional convenience)
  close(): Promise<void>; // closes the server and every open connection
}
