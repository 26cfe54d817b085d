import { z } from 'zod';
import { TIERS } from '../llm/usageRecord';
import { COMPLEXITY_CLASSES } from '../routing/complexityScore';
import { outcomeRowSchema } from '../routing/outcomesTable';

/** Version of metrics.json; the file is derived, so a reader that sees another version just rebuilds. */
export const METRICS_VERSION = 1;

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();
const share = z.number().min(0).max(1);

/** `unclassified`: calls outside a ticket (shared planning) or tickets without a recorded class. */
export const METRICS_CLASSES = [...COMPLEXITY_CLASSES, 'unclassified'] as const;
export type MetricsClass = (typeof METRICS_CLASSES)[number];

export const modelClassRowSchema = z.object({
  model: z.string(),
  class: z.enum(METRICS_CLASSES),
  /** Model calls in the ledger (every HTTP attempt, cache hits excluded). */
  calls: count,
  /** Ticket attempts at this model (batch outcomes). */
  attempts: count,
  firstPassSuccesses: count,
  /** firstPassSuccesses / finished attempts; null before any attempt finished. */
  firstPassRate: share.nullable(),
  fixLoops: count,
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  costUsd: usd,
  /** Calls without a known price: their cost is missing from costUsd. */
  unpricedCalls: count,
  /** Wall time of the ticket attempts (never negative, whatever the clock did). */
  durationMs: z.number().nonnegative(),
  latencyMs: z.number().nonnegative(),
});
export type ModelClassRow = z.infer<typeof modelClassRowSchema>;

export const suggestionSchema = z.object({
  id: z.enum(['strong-tier-overuse', 'low-cache-hit-rate', 'unpriced-model', 'many-fix-loops']),
  message: z.string(),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const metricsSchema = z.object({
  v: z.literal(METRICS_VERSION),
  generatedAt: z.string(),
  source: z.object({ records: count, ledgerProblems: count, batches: count, tickets: count }),
  totals: z.object({
    calls: count,
    costUsd: usd,
    inputTokens: count,
    outputTokens: count,
    cacheReadTokens: count,
    unpricedCalls: count,
    /** The part of calls and costUsd that went to the simulated model (nothing billed); added in issue 12. */
    simulatedCalls: count.optional(),
    simulatedCostUsd: usd.optional(),
    /**
     * Calls whose reservation record no usage record closed (their process was killed during the
     * call) and the sum of their worst cases: not in calls or costUsd, which hold recorded usage.
     */
    openReservations: count.optional(),
    openReservedUsd: usd.optional(),
  }),
  byModelClass: z.array(modelClassRowSchema),
  /** From the ledger: cacheable-stage lookups (first attempts) and how many the response cache served. */
  cache: z.object({ lookups: count, hits: count, hitRate: share.nullable() }),
  modelMix: z.array(z.object({ model: z.string(), calls: count, callShare: share, costUsd: usd, costShare: share })),
  /** Tier each ticket started on, per class. */
  startTierByClass: z.array(z.object({ class: z.enum(METRICS_CLASSES), tier: z.enum(TIERS), tickets: count, share })),
  /** Per (class, tier), in the router's format (src/core/routing/outcomesTable.ts). */
  outcomes: z.array(outcomeRowSchema),
  suggestions: z.array(suggestionSchema),
});
export type Metrics = z.infer<typeof metricsSchema>;
