import { z } from 'zod';
import { TIERS, type Tier } from '../llm/usageRecord';
import { COMPLEXITY_CLASSES, type ComplexityClass } from './complexityScore';

/**
 * Outcomes per (class, tier) as the store derives them from batch results. The router only reads
 * this table; it is parsed with zod because it comes from a file in workspace storage.
 */
export const outcomeRowSchema = z
  .object({
    class: z.enum(COMPLEXITY_CLASSES),
    tier: z.enum(TIERS),
    /** Tickets that passed their gates on the first pass at this tier. */
    successes: z.number().int().nonnegative(),
    attempts: z.number().int().nonnegative(),
    /** Fix loops spent in total over those attempts. */
    fixLoops: z.number().int().nonnegative(),
    /** Total cost of those attempts. */
    costUsd: z.number().nonnegative(),
  })
  .refine((row) => row.successes <= row.attempts, { message: 'successes cannot exceed attempts' });

export type OutcomeRow = z.infer<typeof outcomeRowSchema>;

export const outcomesTableSchema = z.array(outcomeRowSchema);

/** The row for (class, tier), summing duplicates (several batches may each report one). */
export function outcomesFor(table: readonly OutcomeRow[], complexityClass: ComplexityClass, tier: Tier): OutcomeRow {
  const empty: OutcomeRow = { class: complexityClass, tier, successes: 0, attempts: 0, fixLoops: 0, costUsd: 0 };
  return table
    .filter((r) => r.class === complexityClass && r.tier === tier)
    .reduce(
      (sum, r) => ({
        ...sum,
        successes: sum.successes + r.successes,
        attempts: sum.attempts + r.attempts,
        fixLoops: sum.fixLoops + r.fixLoops,
        costUsd: sum.costUsd + r.costUsd,
      }),
      empty,
    );
}
