/**
 * Budget sizing for a call that comes through the metering proxy (a Claude Code worker's), the same
 * way Flotilla's own client sizes its calls (llmClient.ts `admit`): the budget hook may lower the
 * request's max_tokens to what the budget left can pay for, and the proxy sends the body with that
 * max_tokens. Without it every Claude Code call held its full worst case — its ~50 KB prompt at the
 * cache-write rate plus 8,192 output tokens, ten times what a call costs — so a hard budget stopped
 * the batch after a few per cent of it was spent (bench/README.md, budget).
 */
import type { CallSizing } from './callSizing';
import type { ModelCost } from './modelCost';
import type { CallTags } from './reservationRecord';
import { COUNT_MARGIN, MIN_USEFUL_MAX_TOKENS, estimateInputTokens, usesOneHourCache, type PromptParts } from './requestEstimate';

/** A Messages request as the proxy reads it: the prompt parts, max_tokens, and extended thinking if asked. */
export interface ProxiedRequest extends PromptParts {
  readonly model: string;
  readonly max_tokens: number;
  readonly thinking?: unknown;
}

/** The thinking budget of a request with extended thinking on; the API wants it below max_tokens. */
function thinkingBudget(request: ProxiedRequest): number | null {
  const thinking = request.thinking;
  if (typeof thinking !== 'object' || thinking === null) return null;
  const { type, budget_tokens: budget } = thinking as { type?: unknown; budget_tokens?: unknown };
  return type === 'enabled' && typeof budget === 'number' ? budget : null;
}

/**
 * The smallest max_tokens the proxy sizes a request down to: MIN_USEFUL_MAX_TOKENS of answer, plus
 * room for the API's smallest thinking budget (1,024) when the request thinks; never above what was asked.
 */
export function proxyMinMaxTokens(request: ProxiedRequest): number {
  const thinks = thinkingBudget(request) !== null;
  return Math.min(request.max_tokens, MIN_USEFUL_MAX_TOKENS + (thinks ? MIN_USEFUL_MAX_TOKENS : 0));
}

export interface ProxySizingOptions {
  readonly request: ProxiedRequest;
  readonly cost: ModelCost;
  /** The API's count of the request's input tokens, or null when it cannot be had. */
  readonly countTokens: () => Promise<number | null>;
  /** Identifies this attempt to the budget hook, which settles its reservation by it. */
  readonly attempt: object;
  /** Who the attempt is for (the worker run's tags and the attempt number), for its reservation record. */
  readonly tags: CallTags;
}

export function proxyCallSizing({ request, cost, countTokens, attempt, tags }: ProxySizingOptions): CallSizing {
  const oneHour = usesOneHourCache(request);
  const estimate = estimateInputTokens(request);
  const worstCaseFor = (input: number) => (maxTokens: number) => cost.worstCaseUsd(request.model, input, maxTokens, oneHour);
  return {
    requestedMaxTokens: request.max_tokens,
    minMaxTokens: proxyMinMaxTokens(request),
    worstCaseFor: worstCaseFor(estimate),
    countedWorstCase: async () => {
      const counted = await countTokens();
      if (counted === null) return null;
      const withMargin = Math.ceil(counted * COUNT_MARGIN);
      return withMargin < estimate ? worstCaseFor(withMargin) : null;
    },
    attempt,
    tags,
  };
}

/**
 * The request body with max_tokens lowered to `maxTokens` (and a thinking budget kept below it, at
 * least the API's 1,024); the body unchanged when nothing was lowered.
 */
export function sizedRequestBody(body: Buffer, json: Record<string, unknown>, request: ProxiedRequest, maxTokens: number): Buffer {
  if (maxTokens >= request.max_tokens) return body;
  const sized: Record<string, unknown> = { ...json, max_tokens: maxTokens };
  const budget = thinkingBudget(request);
  if (budget !== null && budget >= maxTokens) {
    sized.thinking = { ...(request.thinking as Record<string, unknown>), budget_tokens: Math.max(MIN_USEFUL_MAX_TOKENS, maxTokens - MIN_USEFUL_MAX_TOKENS) };
  }
  return Buffer.from(JSON.stringify(sized), 'utf8');
}
