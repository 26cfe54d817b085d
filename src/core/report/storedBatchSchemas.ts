import { z } from 'zod';

/**
 * The parts of a batch's stored extras that reports read (`extra.records`, `extra.summary` written by
 * src/core/batch/batchRecorder.ts, and reviews/<ticket>.json). Parsed here because they sit in
 * `extra` as unknown JSON: a report of a hand-edited or older state shows what it can, never crashes.
 */
const usd = z.number().nullable().catch(null);

export const storedStageSchema = z.object({
  stage: z.string(),
  model: z.string(),
  tier: z.string().nullable().catch(null),
  tokens: z.number().catch(0),
  costUsd: usd,
  result: z.string().catch(''),
  /** Which worker engine ran a work or fix stage (absent in batches before engines existed). */
  engine: z.string().optional().catch(undefined),
});

export const storedTicketRecordSchema = z.object({
  id: z.string(),
  title: z.string().catch(''),
  complexityClass: z.string().catch('unclassified'),
  score: z.number().nullable().catch(null),
  tier: z.string().nullable().catch(null),
  model: z.string().catch(''),
  reason: z.string().catch(''),
  state: z.string(),
  detail: z.string().catch(''),
  stages: z.array(storedStageSchema).catch([]),
  fixLoops: z.number().int().nonnegative().catch(0),
  escalations: z.number().int().nonnegative().catch(0),
  tierHistory: z.array(z.object({ tier: z.string().nullable(), model: z.string(), reason: z.string().catch('') })).catch([]),
  review: z.object({ level: z.string(), result: z.string(), findings: z.number() }).nullable().catch(null),
  branch: z.string().nullable().catch(null),
  costUsd: usd,
  tokens: z.number().catch(0),
});
export type StoredTicketRecord = z.infer<typeof storedTicketRecordSchema>;

export const storedRecordsSchema = z.record(z.string(), z.unknown());

export const storedSummarySchema = z.object({
  state: z.string(),
  totals: z.object({ tokens: z.number(), costUsd: z.number().nullable(), cacheReadShare: z.number() }),
  analysis: z.object({
    orchestratedUsd: z.number().nullable(),
    singleAgentEstimateUsd: z.number().nullable(),
    savingsPct: z.number().nullable(),
    routingSavingsVsStrongPct: z.number().nullable(),
  }),
});
export type StoredSummary = z.infer<typeof storedSummarySchema>;

/** The gates of a ticket's last review (reviews/<ticket>.json), without their output tails. */
export const storedReviewGatesSchema = z.object({
  gates: z.object({ gates: z.array(z.object({ name: z.string(), status: z.string() })) }),
});
