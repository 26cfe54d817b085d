import { TIERS, type Tier } from '../llm/usageRecord';
import { tierRank } from './specification';

/** What each tier did on one labelled task: used only to evaluate a routing policy, never to route. */
export type TierOutcomes = Readonly<Record<Tier, { readonly resolved: boolean; readonly costUsd: number }>>;

export interface EscalationPlan {
  readonly start: Tier;
  /** Escalation stops here (inclusive). */
  readonly maxTier: Tier;
  /** `next`: up one tier after a failure; `strongest`: straight to maxTier. */
  readonly step: 'next' | 'strongest';
}

export interface ReplayResult {
  readonly tasks: number;
  readonly solved: number;
  readonly solvedShare: number;
  readonly costUsd: number;
  /** Tiers tried per task, in order; for inspection and tests. */
  readonly tried: readonly (readonly Tier[])[];
}

/** The tiers a plan tries on a task that keeps failing, in order. */
export function escalationPath(plan: EscalationPlan): Tier[] {
  const start = tierRank(plan.start);
  const max = Math.max(start, tierRank(plan.maxTier));
  if (plan.step === 'strongest') return start === max ? [plan.start] : [plan.start, TIERS[max] ?? plan.start];
  return TIERS.slice(start, max + 1);
}

/**
 * Replays escalation on recorded outcomes, assuming a perfect gate (the tests tell a failure), as
 * the calibration README does: every tier tried is paid for, the first success stops the climb.
 */
export function replayEscalation(tasks: readonly TierOutcomes[], planFor: (index: number) => EscalationPlan): ReplayResult {
  let solved = 0;
  let costUsd = 0;
  const tried: Tier[][] = [];
  tasks.forEach((outcomes, index) => {
    const path: Tier[] = [];
    for (const tier of escalationPath(planFor(index))) {
      path.push(tier);
      costUsd += outcomes[tier].costUsd;
      if (outcomes[tier].resolved) {
        solved++;
        break;
      }
    }
    tried.push(path);
  });
  return { tasks: tasks.length, solved, solvedShare: tasks.length > 0 ? solved / tasks.length : 0, costUsd, tried };
}
