import type { BetaManagedAgentsAgent } from '@anthropic-ai/sdk/resources/beta/agents/agents';
import type { BetaManagedAgentsSessionUsageSnapshot } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import { costOf } from '../../core/llm/cost';
import { priceFor } from '../../core/llm/pricing';
import type { CacheUsage } from '../promptCache';
import type { MessagesRequest } from '../requestSchema';

/** A turn of a session's conversation, in the Messages API's shape (what the model is sent). */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: Record<string, unknown>[];
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The Messages request the platform makes for a session's next model turn: the agent's tools and
 * system prompt, then the conversation. The platform caches on its own (clients cannot mark session
 * events): breakpoints after the system prompt, after each of the first two blocks of the opening
 * message (a client that puts what its sessions share first gets it read from cache by the next
 * session), and automatic caching of the newest turn. Four, the API's maximum.
 */
export function sessionModelRequest(agent: BetaManagedAgentsAgent, conversation: readonly ConversationTurn[], maxTokens: number): MessagesRequest {
  const [opening, ...rest] = conversation;
  const marked = opening ? [{ ...opening, content: opening.content.map((block, i) => (i < 2 ? { ...block, cache_control: EPHEMERAL } : block)) }, ...rest] : [];
  return {
    model: agent.model.id,
    max_tokens: maxTokens,
    ...(agent.system ? { system: [{ type: 'text', text: agent.system, cache_control: EPHEMERAL }] } : {}),
    tools: agent.tools.map((tool) => ('name' in tool && tool.type === 'custom' ? { name: tool.name, description: tool.description, input_schema: tool.input_schema } : { name: String(tool.type) })),
    messages: marked as MessagesRequest['messages'],
    cache_control: EPHEMERAL,
  };
}

/** A session's cumulative usage: tokens as billed, list cost exact (USD), time spent running. */
export interface SessionTally {
  requests: number;
  cache: CacheUsage;
  outputTokens: number;
  /** null once a request was made on a model without a public price. */
  listCostUsd: number | null;
  activeMs: number;
}

export function emptyTally(): SessionTally {
  return { requests: 0, cache: { inputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 }, outputTokens: 0, listCostUsd: 0, activeMs: 0 };
}

/** Adds one model request at its model's public list price. */
export function addRequest(tally: SessionTally, model: string, cache: CacheUsage, outputTokens: number): void {
  const price = priceFor(model);
  const usage = { ...cache, outputTokens };
  tally.listCostUsd = tally.listCostUsd === null || price === undefined ? null : tally.listCostUsd + costOf(usage, price);
  tally.cache = {
    inputTokens: tally.cache.inputTokens + cache.inputTokens,
    cacheReadTokens: tally.cache.cacheReadTokens + cache.cacheReadTokens,
    cacheWrite5mTokens: tally.cache.cacheWrite5mTokens + cache.cacheWrite5mTokens,
    cacheWrite1hTokens: tally.cache.cacheWrite1hTokens + cache.cacheWrite1hTokens,
  };
  tally.outputTokens += outputTokens;
  tally.requests += 1;
}

/** Whole cents of a list cost, rounded down (the amount the API reports is in minor units). */
export function centsOf(usd: number): number {
  return Math.floor(usd * 100 + 1e-9);
}

/** The usage object of session.usage events and of the session itself. */
export function usageSnapshot(tally: SessionTally, activeMs: number): BetaManagedAgentsSessionUsageSnapshot {
  return {
    input_tokens: tally.cache.inputTokens,
    output_tokens: tally.outputTokens,
    cache_read_input_tokens: tally.cache.cacheReadTokens,
    cache_creation: { ephemeral_5m_input_tokens: tally.cache.cacheWrite5mTokens, ephemeral_1h_input_tokens: tally.cache.cacheWrite1hTokens },
    ...(tally.listCostUsd === null ? {} : { list_cost: { amount: String(centsOf(tally.listCostUsd)), currency: 'USD' as const } }),
    active_seconds: Math.round(activeMs) / 1000,
  };
}
