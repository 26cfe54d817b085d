import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { reviewFile } from '../batch/batchRecorder';
import { errorMessage } from '../errorText';
import { SEVERITIES } from '../review/findings';

/**
 * A ticket's stored review (`batches/<id>/reviews/<ticket>.json`, written by the batch recorder at
 * the end of each review): level, verdict, command gates with their output tails, findings. Read by
 * the review UI, the report and the panel through this one schema.
 */
const storedFindingSchema = z.object({
  file: z.string().min(1),
  line: z
    .number()
    .int()
    .nullish()
    .transform((line) => line ?? null),
  severity: z.enum(SEVERITIES),
  message: z.string(),
  source: z.enum(['T1', 'T2', 'T3']),
  inDiff: z.boolean(),
  fileInDiff: z.boolean(),
});
export type StoredFinding = z.infer<typeof storedFindingSchema>;

const storedGateSchema = z.object({
  name: z.string(),
  command: z.string().nullable(),
  status: z.string(),
  exitCode: z.number().nullable(),
  durationMs: z.number(),
  output: z.string(),
  reason: z.string().optional(),
});
export type StoredGate = z.infer<typeof storedGateSchema>;

/** The stored ReviewOutcome (batches/<id>/reviews/<ticket>.json), as much of it as the review UI shows. */
const earlierAttemptSchema = z.object({
  attempt: z.number().int(),
  model: z.string().nullable(),
  level: z.string(),
  summary: z.string(),
  gates: z.array(storedGateSchema),
});
export type StoredEarlierAttempt = z.infer<typeof earlierAttemptSchema>;

/** One model review of the outcome (T1/T2/T3): its verdict and one-sentence summary. */
const storedModelReviewSchema = z.object({
  kind: z.string(),
  tier: z.string(),
  verdict: z.enum(['PASS', 'FAIL']),
  summary: z.string().optional(),
  reason: z.string().optional(),
});
export type StoredModelReview = z.infer<typeof storedModelReviewSchema>;

export const storedReviewSchema = z.object({
  level: z.string(),
  verdict: z.enum(['PASS', 'FAIL']).optional(),
  /** Why this level (risk score, signals, overrides). */
  reasons: z.array(z.string()).default([]),
  modelReviews: z.array(storedModelReviewSchema).default([]),
  skippedReviews: z.array(z.object({ kind: z.string(), reason: z.string() })).default([]),
  gates: z.object({ gates: z.array(storedGateSchema), verdict: z.string() }),
  findings: z.array(storedFindingSchema).default([]),
  /** Written since issue 12: the attempt this outcome is of, and the failed attempts before it. */
  attempt: z.number().int().optional(),
  earlierAttempts: z.array(earlierAttemptSchema).default([]),
});
export type StoredReview = z.infer<typeof storedReviewSchema>;

export type StoredReviewResult =
  | { readonly kind: 'ok'; readonly review: StoredReview }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly message: string };

/** A missing or unreadable review is not fatal: the diff is still worth showing, without findings. */
export async function loadStoredReview(storage: string, batchId: string, ticketId: string): Promise<StoredReviewResult> {
  let text: string;
  try {
    text = await readFile(reviewFile(storage, batchId, ticketId), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: `not JSON: ${errorMessage(error)}` };
  }
  const parsed = storedReviewSchema.safeParse(json);
  return parsed.success ? { kind: 'ok', review: parsed.data } : { kind: 'invalid', message: z.prettifyError(parsed.error) };
}
