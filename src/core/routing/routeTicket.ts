import { TIERS, type Tier } from '../llm/usageRecord';
import { capChoice, chooseAdaptiveTier, type AdaptiveOptions } from './adaptiveRouting';
import { DEFAULT_TIER_BY_CLASS, describeScore, scoreComplexity, type ComplexityClass } from './complexityScore';
import type { OutcomeRow } from './outcomesTable';
import type { RoutableTicket } from './routableTicket';
import { checkSpecification, higherTier, lowerTier } from './specification';

export type RouteSource = 'score' | 'learned' | 'exploration' | 'ticket' | 'user';

export interface RouteDecision {
  readonly id: string;
  readonly score: number;
  readonly complexityClass: ComplexityClass;
  /** The tier to start on; null when a model id was picked outright. */
  readonly tier: Tier | null;
  /** A model id picked by the ticket's `model:` field or the user; null when a tier was picked. */
  readonly modelId: string | null;
  /** The highest tier escalation may reach; null with a model id (there is no tier to climb). */
  readonly maxTier: Tier | null;
  readonly source: RouteSource;
  /** One line for the UI and the CLI. */
  readonly reason: string;
  readonly underspecified: boolean;
  /** What to ask the user for when the ticket is underspecified. */
  readonly missing: readonly string[];
}

export interface RouteOptions {
  /** A pick made in the UI or with `--tier`; beats the ticket's own `model:` field. */
  readonly userPick?: string;
  readonly tierByClass?: Readonly<Record<ComplexityClass, Tier>>;
  /** Outcomes per (class, tier); with it the learned router replaces the class default. */
  readonly outcomes?: readonly OutcomeRow[];
  readonly adaptive?: Partial<AdaptiveOptions>;
}

function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}

export function routeTicket(ticket: RoutableTicket, options: RouteOptions = {}): RouteDecision {
  const scored = scoreComplexity(ticket);
  const spec = checkSpecification(ticket);
  const base = {
    id: ticket.id,
    score: scored.score,
    complexityClass: scored.complexityClass,
    underspecified: spec.underspecified,
    missing: spec.missing,
  };
  const scoreReason = describeScore(scored);
  const ceiling = spec.maxTier === 'strong' ? '' : ` (max ${spec.maxTier})`;
  const askFor = spec.underspecified ? `; underspecified, ask for ${spec.missing.slice(0, 2).join(' and ')}${ceiling}` : '';

  // An explicit pick overrides everything (ARCHITECTURE.md idea 3); the score is still reported.
  const ticketPick = ticket.model !== undefined && ticket.model !== 'auto' ? ticket.model : undefined;
  const pick = options.userPick !== undefined && options.userPick !== 'auto' ? options.userPick : ticketPick;
  if (pick !== undefined) {
    const source: RouteSource = pick === options.userPick ? 'user' : 'ticket';
    const by = source === 'user' ? 'picked by you' : 'set by the ticket';
    if (isTier(pick)) {
      // The user asked for this tier, so the ceiling never sits below it.
      return { ...base, tier: pick, modelId: null, maxTier: higherTier(pick, spec.maxTier), source, reason: `${pick} ${by} (${scoreReason})` };
    }
    return { ...base, tier: null, modelId: pick, maxTier: null, source, reason: `${pick} ${by} (${scoreReason})` };
  }

  const defaultTier = (options.tierByClass ?? DEFAULT_TIER_BY_CLASS)[scored.complexityClass];
  if (options.outcomes !== undefined) {
    const choice = capChoice(chooseAdaptiveTier(options.outcomes, scored.complexityClass, defaultTier, options.adaptive), spec.maxTier);
    if (choice.source !== 'default') {
      return { ...base, tier: choice.tier, modelId: null, maxTier: spec.maxTier, source: choice.source, reason: `${scoreReason}; ${choice.reason}${askFor}` };
    }
  }
  const tier = lowerTier(defaultTier, spec.maxTier);
  return { ...base, tier, modelId: null, maxTier: spec.maxTier, source: 'score', reason: `${scoreReason}${askFor}` };
}

/** One output line of `flotilla route` (CLI contract): `{id, score, class, tier, reason, maxTier}`. */
export interface RouteLine {
  readonly id: string;
  readonly score: number;
  readonly class: ComplexityClass;
  /** The tier, or the model id when one was picked outright. */
  readonly tier: string;
  readonly reason: string;
  readonly maxTier: string;
}

export function toRouteLine(decision: RouteDecision): RouteLine {
  const tier = decision.tier ?? decision.modelId ?? 'strong';
  return {
    id: decision.id,
    score: decision.score,
    class: decision.complexityClass,
    tier,
    reason: decision.reason,
    maxTier: decision.maxTier ?? tier,
  };
}
