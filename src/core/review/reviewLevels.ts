import type { Tier } from '../llm/usageRecord';

/** Review depth, cheapest first (ARCHITECTURE.md idea 5). Each level adds to the one before it. */
export const RISK_LEVELS = ['minimal', 'standard', 'thorough', 'comprehensive'] as const;
export type ReviewLevel = (typeof RISK_LEVELS)[number];

/** Lower bounds on the 0–100 risk score: below `standard` is minimal, at or above `comprehensive` is comprehensive. */
export const LEVEL_THRESHOLDS = { standard: 25, thorough: 50, comprehensive: 75 } as const;

export const GATE_NAMES = ['build', 'lint', 'test'] as const;
export type GateName = (typeof GATE_NAMES)[number];

export const MODEL_REVIEW_KINDS = ['T1', 'T2', 'T3'] as const;
export type ModelReviewKind = (typeof MODEL_REVIEW_KINDS)[number];

/** The model tier each review runs on: checklist on fast, expert on balanced, the panel on strong. */
export const TIER_OF_REVIEW: Readonly<Record<ModelReviewKind, Tier>> = { T1: 'fast', T2: 'balanced', T3: 'strong' };

/** The level at which each gate and review starts to run. */
const FIRST_LEVEL: Readonly<Record<GateName | ModelReviewKind, ReviewLevel>> = {
  build: 'minimal',
  lint: 'minimal',
  test: 'standard',
  T1: 'standard',
  T2: 'thorough',
  T3: 'comprehensive',
};

export function levelRank(level: ReviewLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function levelForScore(score: number): ReviewLevel {
  if (score >= LEVEL_THRESHOLDS.comprehensive) return 'comprehensive';
  if (score >= LEVEL_THRESHOLDS.thorough) return 'thorough';
  if (score >= LEVEL_THRESHOLDS.standard) return 'standard';
  return 'minimal';
}

export function includesGate(level: ReviewLevel, gate: GateName): boolean {
  return levelRank(level) >= levelRank(FIRST_LEVEL[gate]);
}

/** The model reviews a level runs, in order: `thorough` runs T1 and T2. */
export function modelReviewsFor(level: ReviewLevel): ModelReviewKind[] {
  return MODEL_REVIEW_KINDS.filter((kind) => levelRank(level) >= levelRank(FIRST_LEVEL[kind]));
}

export function firstLevelOf(step: GateName | ModelReviewKind): ReviewLevel {
  return FIRST_LEVEL[step];
}
