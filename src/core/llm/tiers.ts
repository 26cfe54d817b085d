import { z } from 'zod';
import { TIERS, type Tier } from './usageRecord';

/** The newest generally available model of each family, read with the pricing table (pricing.ts). */
export const DEFAULT_TIER_MODELS: Readonly<Record<Tier, string>> = {
  fast: 'claude-haiku-5-5',
  balanced: 'claude-sonnet-5-5',
  strong: 'claude-opus-5-5',
};

const modelId = z.string().trim().min(1, 'a model id such as claude-sonnet-5-5');

/** The `flotilla.llm.tiers` setting: each tier may be overridden alone; the rest keep their default. */
export const tierModelsSchema = z
  .object({
    fast: modelId.default(DEFAULT_TIER_MODELS.fast),
    balanced: modelId.default(DEFAULT_TIER_MODELS.balanced),
    strong: modelId.default(DEFAULT_TIER_MODELS.strong),
  })
  .default({ ...DEFAULT_TIER_MODELS });

export type TierModels = z.infer<typeof tierModelsSchema>;

export function modelForTier(tier: Tier, tierModels: TierModels = DEFAULT_TIER_MODELS): string {
  return tierModels[tier];
}

/** The tier a model id is configured for, or null for a model picked by id outside the tiers. */
export function tierOfModel(model: string, tierModels: TierModels = DEFAULT_TIER_MODELS): Tier | null {
  return TIERS.find((tier) => tierModels[tier] === model) ?? null;
}
