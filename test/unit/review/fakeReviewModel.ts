import type { Tier } from '../../../src/core/llm/usageRecord';
import type { ReviewCache } from '../../../src/core/review/reviewCache';
import type { ReviewCallMeta, ReviewModel, ReviewPrompt } from '../../../src/core/review/reviewModel';

export interface RecordedCall {
  readonly prompt: ReviewPrompt;
  readonly tier: Tier;
  readonly meta: ReviewCallMeta;
  /** Which reviewer the system prompt belongs to. */
  readonly role: 'T1' | 'T2' | 'A' | 'B' | 'judge' | 'unknown';
}

export type Responder = (call: RecordedCall, index: number) => string;

export function roleOf(prompt: ReviewPrompt): RecordedCall['role'] {
  if (prompt.system.startsWith('You check a code change against a checklist')) return 'T1';
  if (prompt.system.startsWith('You are a senior engineer')) return 'T2';
  if (prompt.system.startsWith('You are an adversarial reviewer')) return 'A';
  if (prompt.system.startsWith('You are the long-term maintainer')) return 'B';
  if (prompt.system.startsWith('You are the judge')) return 'judge';
  return 'unknown';
}

/** A scripted ReviewModel that records every call; the model id is `model-<tier>`. */
export class FakeReviewModel implements ReviewModel {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly respond: Responder) {}

  modelFor(tier: Tier): string {
    return `model-${tier}`;
  }

  async complete(prompt: ReviewPrompt, tier: Tier, meta: ReviewCallMeta): Promise<string> {
    const call = { prompt, tier, meta, role: roleOf(prompt) };
    this.calls.push(call);
    return this.respond(call, this.calls.length - 1);
  }

  rolesCalled(): string[] {
    return this.calls.map((c) => c.role);
  }
}

export const pass = (summary = 'looks fine') => JSON.stringify({ verdict: 'PASS', findings: [], summary });

export const fail = (...findings: { file: string; line: number | null; severity: 'info' | 'warning' | 'error'; message: string }[]) =>
  JSON.stringify({ verdict: 'FAIL', findings, summary: 'must fix' });

export const META: ReviewCallMeta = { workspace: 'ws', batchId: 'b1', ticketId: 'T1' };

export class MapCache implements ReviewCache {
  readonly map = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.map.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.map.set(key, value);
  }
}
