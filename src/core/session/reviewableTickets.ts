import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { reviewFile } from '../batch/batchRecorder';
import { ticketWorktreePath } from '../git/worktrees';
import { SEVERITIES } from '../review/findings';
import type { BatchStateStore } from '../store/batchStateStore';
import { decisionsOf, type TicketDecision } from './reviewDecisions';
import { errorMessage } from '../errorText';

/**
 * The parts of the stored batch state the review reads. state.json's `extra` is free-form for the
 * store, so it is parsed here, at the boundary, and anything that does not fit is left out.
 */
const recordSchema = z.object({
  id: z.string(),
  title: z.string(),
  state: z.string(),
  branch: z.string().nullable(),
  commit: z.string().nullable(),
});
const resumeSchema = z.object({ repoRoot: z.string().min(1) });

/** A finished ticket whose branch can be reviewed, accepted or rejected. */
export interface ReviewableTicket {
  readonly batchId: string;
  readonly ticketId: string;
  readonly title: string;
  readonly branch: string;
  readonly commit: string | null;
  readonly baseCommit: string;
  readonly repoRoot: string;
  /** Where its worktree is (or was): `<storage>/worktrees/<batch>/<ticket>`. */
  readonly worktree: string;
  readonly batchCreatedAt: string;
  readonly decision: TicketDecision | undefined;
}

/** Every done ticket with a branch across this workspace's batches, newest batch first. */
export async function listReviewableTickets(store: BatchStateStore, storage: string): Promise<ReviewableTicket[]> {
  const { batches } = await store.list();
  const found: ReviewableTicket[] = [];
  for (const { state } of batches) {
    const resume = resumeSchema.safeParse(state.extra.resume);
    const records = z.record(z.string(), z.unknown()).safeParse(state.extra.records);
    if (!resume.success || !records.success || state.baseCommit === null) continue;
    const decisions = decisionsOf(state.extra);
    for (const id of state.ticketIds) {
      const record = recordSchema.safeParse(records.data[id]);
      if (!record.success || record.data.state !== 'done' || record.data.branch === null) continue;
      found.push({
        batchId: state.id,
        ticketId: id,
        title: record.data.title,
        branch: record.data.branch,
        commit: record.data.commit,
        baseCommit: state.baseCommit,
        repoRoot: resume.data.repoRoot,
        worktree: ticketWorktreePath(storage, state.id, id),
        batchCreatedAt: state.createdAt,
        decision: decisions[id],
      });
    }
  }
  return found;
}

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
