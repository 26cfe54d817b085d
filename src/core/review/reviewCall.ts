import { silentLogger, type Logger } from '../logger';
import type { Tier } from '../llm/usageRecord';
import type { Finding } from './findings';
import type { Verdict } from './gateTypes';
import { reviewCacheKey, type ReviewCache } from './reviewCache';
import type { ReviewCallMeta, ReviewModel, ReviewPrompt } from './reviewModel';
import { parseReviewOutput } from './reviewOutput';
import { repairPrompt } from './reviewPrompts';
import { errorMessage } from '../errorText';

export type ReviewRole = 'T1' | 'T2' | 'T3-A' | 'T3-B' | 'T3-judge';

/** One model call of a review, after validation (and at most one repair). */
export interface ReviewCallResult {
  readonly role: ReviewRole;
  readonly tier: Tier;
  readonly model: string;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly summary?: string;
  /** False when neither the reply nor the repaired one could be used; the verdict is then FAIL. */
  readonly valid: boolean;
  /** Why the call counts as FAIL without findings ("review output invalid: …"). */
  readonly reason?: string;
  readonly cached: boolean;
  readonly repaired: boolean;
}

export interface ReviewCallDeps {
  readonly model: ReviewModel;
  readonly meta: ReviewCallMeta;
  readonly diffHash: string;
  readonly cache?: ReviewCache;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/**
 * Asks for a review and validates it. Invalid output gets exactly one repair call that shows the
 * model its reply and the validation error; if that fails too, the review is a FAIL with the reason,
 * never a guess. Only valid results are cached. Errors from the model itself (budget stop, cancel,
 * API failure after retries) propagate: the caller decides what an unreviewed ticket means.
 */
export async function runReviewCall(role: ReviewRole, tier: Tier, prompt: ReviewPrompt, deps: ReviewCallDeps): Promise<ReviewCallResult> {
  const logger = deps.logger ?? silentLogger;
  const model = deps.model.modelFor(tier);
  const key = reviewCacheKey({ diffHash: deps.diffHash, role, model, prompt });
  const base = { role, tier, model };

  const hit = await readCache(deps.cache, key, logger);
  if (hit !== undefined) {
    const parsed = parseReviewOutput(hit);
    if (parsed.ok) {
      await deps.model.recordCacheHit?.(tier, deps.meta);
      return { ...base, ...parsed.output, valid: true, cached: true, repaired: false };
    }
    logger.warn(`Ignoring an unreadable cached ${role} review: ${parsed.error}`);
  }

  const reply = await deps.model.complete(prompt, tier, deps.meta, deps.signal);
  let parsed = parseReviewOutput(reply);
  let repaired = false;
  if (!parsed.ok) {
    logger.info(`${role} review from ${model} was invalid (${parsed.error}); asking once for a corrected reply.`);
    const second = await deps.model.complete(repairPrompt(prompt, reply, parsed.error), tier, deps.meta, deps.signal);
    parsed = parseReviewOutput(second);
    repaired = true;
  }
  if (!parsed.ok) {
    return { ...base, verdict: 'FAIL', findings: [], valid: false, reason: `review output invalid: ${parsed.error}`, cached: false, repaired };
  }
  await writeCache(deps.cache, key, JSON.stringify(parsed.output), logger);
  return { ...base, ...parsed.output, valid: true, cached: false, repaired };
}

// A cache is an optimisation: when it fails, the review goes on without it.
async function readCache(cache: ReviewCache | undefined, key: string, logger: Logger): Promise<string | undefined> {
  if (!cache) return undefined;
  try {
    return await cache.get(key);
  } catch (error) {
    logger.warn(`Review cache read failed: ${errorMessage(error)}`);
    return undefined;
  }
}

async function writeCache(cache: ReviewCache | undefined, key: string, value: string, logger: Logger): Promise<void> {
  if (!cache) return;
  try {
    await cache.set(key, value);
  } catch (error) {
    logger.warn(`Review cache write failed: ${errorMessage(error)}`);
  }
}
