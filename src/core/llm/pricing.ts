import { z } from 'zod';

/**
 * Prices in USD per million tokens for one token class each. Cache multipliers are NOT derived from
 * the input price: they differ per model (Opus 5.5 and Sonnet 5.5 read the cache at 0.05x input,
 * Fable 5.1 at 0.025x, most others at 0.1x), so every rate is written out.
 */
const ratesShape = {
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite5m: z.number().nonnegative(),
  cacheWrite1h: z.number().nonnegative(),
  cacheRead: z.number().nonnegative(),
};

export const tokenRatesSchema = z.object(ratesShape);
export type TokenRates = z.infer<typeof tokenRatesSchema>;

/**
 * A long-prompt band: a request whose prompt (input + cache reads + cache writes) is above
 * `aboveTokens` pays these rates on EVERY token of that request, output included.
 */
export const longPromptBandSchema = z.object({ aboveTokens: z.number().int().positive(), ...ratesShape });
export type LongPromptBand = z.infer<typeof longPromptBandSchema>;

export const modelPriceSchema = z.object({ ...ratesShape, longPrompt: longPromptBandSchema.optional() });
export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** The `flotilla.llm.pricing` setting: model id → a full price row (replaces the built-in row). */
export const pricingOverridesSchema = z.record(z.string().min(1), modelPriceSchema);
export type PricingOverrides = z.infer<typeof pricingOverridesSchema>;

const rates = (input: number, output: number, cacheWrite5m: number, cacheWrite1h: number, cacheRead: number): TokenRates => ({
  input,
  output,
  cacheWrite5m,
  cacheWrite1h,
  cacheRead,
});

const OPUS_4_5_TO_5 = rates(5, 25, 6.25, 10, 0.5);
const SONNET_4_X = rates(3, 15, 3.75, 6, 0.3);
const HAIKU_4_5 = rates(1, 5, 1.25, 2, 0.1);

/** When the table below was read. Re-read the sources and update both when prices change. */
export const PRICES_READ_ON = '2026-10-24';

/**
 * Public list prices, standard (non-batch) API, USD per million tokens.
 * Sources, read on PRICES_READ_ON: the pricing page (platform.claude.com/docs/en/about-claude/pricing)
 * and each model's overview page under platform.claude.com/docs/en/models/.
 * - Haiku 5.5 (released 2026-10-07) is priced by prompt length: up to 100,000 prompt tokens one set of
 *   rates, above it five times those rates on the whole request.
 * - Sonnet 5.5 cache reads were cut from $0.20 to $0.10 per MTok on 2026-10-07; some translated
 *   model pages still showed $0.20 when read. If the Console bills $0.20, override it in settings.
 * - Claude 4.6 and later serve their whole context window at the standard rate (no long-context band);
 *   Sonnet 4.5 kept its >200K-token band.
 * Mythos models are limited-availability and not listed; add them through the pricing setting.
 */
export const PRICING_TABLE: Readonly<Record<string, ModelPrice>> = {
  'claude-haiku-5-5': {
    ...rates(0.1, 0.5, 0.125, 0.2, 0.01),
    longPrompt: { aboveTokens: 100_000, ...rates(0.5, 2.5, 0.625, 1, 0.05) },
  },
  'claude-sonnet-5-5': rates(2, 10, 2.5, 4, 0.1),
  'claude-opus-5-5': rates(4, 20, 5, 8, 0.2),
  'claude-fable-5-1': rates(10, 50, 12.5, 20, 0.25),
  'claude-fable-5': rates(10, 50, 12.5, 20, 1),
  'claude-opus-5': OPUS_4_5_TO_5,
  'claude-sonnet-5': rates(2, 10, 2.5, 4, 0.2),
  'claude-opus-4-8': OPUS_4_5_TO_5,
  'claude-opus-4-7': OPUS_4_5_TO_5,
  'claude-opus-4-6': OPUS_4_5_TO_5,
  'claude-opus-4-5': OPUS_4_5_TO_5,
  'claude-opus-4-5-20251101': OPUS_4_5_TO_5,
  'claude-sonnet-4-6': SONNET_4_X,
  'claude-sonnet-4-5': { ...SONNET_4_X, longPrompt: { aboveTokens: 200_000, ...rates(6, 22.5, 7.5, 12, 0.6) } },
  'claude-sonnet-4-5-20250929': { ...SONNET_4_X, longPrompt: { aboveTokens: 200_000, ...rates(6, 22.5, 7.5, 12, 0.6) } },
  'claude-haiku-4-5': HAIKU_4_5,
  'claude-haiku-4-5-20251001': HAIKU_4_5,
};

/**
 * The price row for a model id: a settings override first, then the built-in table. `undefined`
 * means the model has no known price — the caller records `costUsd: null`, never a guess.
 */
export function priceFor(model: string, overrides: PricingOverrides = {}): ModelPrice | undefined {
  return Object.hasOwn(overrides, model) ? overrides[model] : Object.hasOwn(PRICING_TABLE, model) ? PRICING_TABLE[model] : undefined;
}
