import { TIERS, type Tier } from '../llm/usageRecord';
import { tierRank } from '../routing/specification';

export interface EscalationLimits {
  readonly maxFixLoops: number;
  readonly maxEscalations: number;
}

export interface TicketAttemptState {
  readonly tier: Tier | null;
  /** Fix loops already made on the current tier. */
  readonly fixLoopsOnTier: number;
  readonly escalations: number;
  /** The router's ceiling for this ticket; null for a model picked by id. */
  readonly maxTier: Tier | null;
}

/** `reason` says why, failure included (logs, ticket detail); `action` only what happens next (the ticket's terminal). */
export type NextStep =
  | { readonly kind: 'fix'; readonly reason: string; readonly action: string }
  | { readonly kind: 'escalate'; readonly to: Tier; readonly reason: string; readonly action: string }
  | { readonly kind: 'give-up'; readonly reason: string; readonly action: string };

/**
 * What to do after a failed attempt (ARCHITECTURE.md idea 4): failed gates get a fix loop on the same
 * tier; after a failed loop — or a worker that produced nothing to fix — the ticket moves up one tier,
 * never past its ceiling or the escalation limit.
 */
export function nextStep(state: TicketAttemptState, failure: { readonly kind: 'gates' | 'worker'; readonly reason: string }, limits: EscalationLimits): NextStep {
  if (failure.kind === 'gates' && state.fixLoopsOnTier < limits.maxFixLoops) {
    const action = `fix loop ${state.fixLoopsOnTier + 1} of ${limits.maxFixLoops} on ${state.tier ?? 'the picked model'}`;
    return { kind: 'fix', reason: `gates failed (${failure.reason}); ${action}`, action };
  }
  const giveUp = (why: string): NextStep => ({ kind: 'give-up', reason: `${failure.reason}; ${why}`, action: `giving up: ${why}` });
  if (state.tier === null) return giveUp('a model picked by id is not escalated');
  const up = TIERS[tierRank(state.tier) + 1];
  if (!up) return giveUp('already on the strongest tier');
  if (state.escalations >= limits.maxEscalations) return giveUp(`escalation limit (${limits.maxEscalations}) reached`);
  if (state.maxTier !== null && tierRank(up) > tierRank(state.maxTier)) {
    return giveUp(`${state.maxTier} is this ticket's ceiling — add detail to the ticket rather than paying for a stronger model`);
  }
  return { kind: 'escalate', to: up, reason: `${failure.reason}; moving up from ${state.tier} to ${up}`, action: `moving up from ${state.tier} to ${up}` };
}
