import type { CallMeta, LlmClient } from '../llm/llmClient';
import { cachedUsageRecord } from '../store/cacheKey';
import { DEFAULT_TIER_MODELS, modelForTier, type TierModels } from '../llm/tiers';
import type { Tier, UsageRecord } from '../llm/usageRecord';

export interface ReviewMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface ReviewPrompt {
  readonly system: string;
  readonly messages: readonly ReviewMessage[];
}

/** Whose review this is, for the usage record (the stage is always `review`). */
export type ReviewCallMeta = Pick<CallMeta, 'workspace' | 'batchId' | 'ticketId'>;

/**
 * What the reviews need from a model: text in, text out, on a tier. Tests pass a scripted fake;
 * production passes llmReviewModel over the shared LlmClient, which records usage and retries.
 */
export interface ReviewModel {
  /** The model id a tier maps to; part of the review cache key. */
  modelFor(tier: Tier): string;
  complete(prompt: ReviewPrompt, tier: Tier, meta: ReviewCallMeta, signal?: AbortSignal): Promise<string>;
  /** A review answered from the cache still gets its ledger record (cached, cost 0). */
  recordCacheHit?(tier: Tier, meta: ReviewCallMeta): Promise<void>;
}

export interface LlmReviewModelOptions {
  readonly tierModels?: TierModels;
  /** Room for a verdict and a few dozen findings. Default 4096. */
  readonly maxTokens?: number;
  /** Where cache hits are recorded: the same ledger path as the client's records. */
  readonly recordUsage?: (record: UsageRecord) => Promise<void>;
}

export function llmReviewModel(client: Pick<LlmClient, 'call'>, options: LlmReviewModelOptions = {}): ReviewModel {
  const tierModels = options.tierModels ?? DEFAULT_TIER_MODELS;
  return {
    modelFor: (tier) => modelForTier(tier, tierModels),
    async complete(prompt, tier, meta, signal) {
      const result = await client.call(
        {
          model: modelForTier(tier, tierModels),
          max_tokens: options.maxTokens ?? 4096,
          system: prompt.system,
          messages: prompt.messages.map((m) => ({ role: m.role, content: m.content })),
        },
        { ...meta, stage: 'review', tier },
        { signal },
      );
      return result.text;
    },
    async recordCacheHit(tier, meta) {
      await options.recordUsage?.(cachedUsageRecord({ ...meta, stage: 'review', model: modelForTier(tier, tierModels), tier }, 0, Date.now()));
    },
  };
}
