import { createHash } from 'node:crypto';
import type { ReviewPrompt } from './reviewModel';
import { REVIEW_PROMPT_VERSION } from './reviewPrompts';

/**
 * Where finished reviews are kept between runs (a resumed batch, a re-review of an unchanged diff).
 * Any string store fits; src/core/store's response cache is the intended one, but the review does
 * not depend on it.
 */
export interface ReviewCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function diffHash(unifiedDiff: string): string {
  return sha256(unifiedDiff);
}

export interface ReviewCacheKeyParts {
  readonly diffHash: string;
  /** The review role: T1, T2, T3-A, T3-B or T3-judge. */
  readonly role: string;
  readonly model: string;
  /**
   * The prompt sent. The ticket's acceptance list and the checklist are part of it, so the same diff
   * reviewed against a changed acceptance list must not reuse the old verdict.
   */
  readonly prompt: ReviewPrompt;
}

/** sha256 over (diff hash, role, model, prompt version, prompt hash); field order is fixed by the array. */
export function reviewCacheKey(parts: ReviewCacheKeyParts): string {
  return sha256(JSON.stringify(['flotilla-review', parts.diffHash, parts.role, parts.model, REVIEW_PROMPT_VERSION, sha256(JSON.stringify(parts.prompt))]));
}
