import { TIERS, type Tier } from '../llm/usageRecord';
import { formatUsd } from '../vocabulary/amounts';

/** Prices per million tokens for one tier (the pricing table is passed in, not imported). */
export interface TierPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cacheReadPerMTok: number;
  /** Writing the shared prefix to the cache; defaults to 1.25 × input (the 5-minute write price). */
  readonly cacheWritePerMTok?: number;
}

/**
 * Tokens per stage. Defaults are the middles of the design studies' ranges (ARCHITECTURE.md idea 1);
 * `history` replaces any of them with this repository's own averages once the ledger has some.
 */
export interface StageTokens {
  /** The one planning call of an orchestrated batch (input + output). */
  readonly planning: number;
  /** A worker's first request: tools + system + shared batch context + ticket. */
  readonly workerStart: number;
  /** Share of `workerStart` that is the shared prefix, read from cache by tickets 2..N of a tier. */
  readonly sharedPrefixShare: number;
  /** Monitoring of one ticket by the orchestrator. */
  readonly monitoring: number;
  /** What a lone agent spends finding its way around the repository without a shared plan. */
  readonly singleAgentDiscovery: number;
  /** Output share of a call's tokens (the rest is input). */
  readonly outputShare: number;
}

export const DEFAULT_STAGE_TOKENS: StageTokens = {
  planning: 10_500, // 6–15k
  workerStart: 11_500, // 8–15k
  sharedPrefixShare: 0.6,
  monitoring: 7_500, // 5–10k
  singleAgentDiscovery: 10_500, // a lone agent redoes the planning call's exploration for its ticket
  outputShare: 0.15,
};

export interface BreakEvenInput {
  /** The starting tier of each ticket in the batch. */
  readonly ticketTiers: readonly Tier[];
  readonly price: (tier: Tier) => TierPrice;
  readonly planningTier?: Tier;
  readonly monitoringTier?: Tier;
  readonly history?: Partial<StageTokens>;
}

export interface BreakEvenEstimate {
  readonly orchestratedUsd: number;
  readonly singleAgentUsd: number;
  /** Smallest batch (of this batch's ticket mix) where orchestration is not dearer; null if never. */
  readonly breakEvenTickets: number | null;
  readonly mode: 'orchestrated' | 'direct';
  readonly explanation: string;
}

const PER_TOKEN = 1 / 1_000_000;

function callUsd(price: TierPrice, tokens: number, outputShare: number): number {
  return tokens * PER_TOKEN * ((1 - outputShare) * price.inputPerMTok + outputShare * price.outputPerMTok);
}

function costs(tiers: readonly Tier[], input: BreakEvenInput, t: StageTokens): { orchestrated: number; single: number } {
  const planningTier = input.planningTier ?? 'balanced';
  const monitoringTier = input.monitoringTier ?? 'fast';
  let orchestrated = tiers.length > 0 ? callUsd(input.price(planningTier), t.planning, t.outputShare) : 0;
  let single = 0;
  // Work after the start and the review are the same in both modes, so they cancel out of the
  // comparison and are left out of both sides.
  const prefix = t.workerStart * t.sharedPrefixShare;
  const rest = t.workerStart - prefix;
  const seen = new Set<Tier>();
  for (const tier of tiers) {
    const p = input.price(tier);
    // Caches are per model: the first ticket of a tier writes the prefix, the others read it.
    const prefixRate = seen.has(tier) ? p.cacheReadPerMTok : (p.cacheWritePerMTok ?? p.inputPerMTok * 1.25);
    seen.add(tier);
    orchestrated += prefix * PER_TOKEN * prefixRate + rest * PER_TOKEN * p.inputPerMTok;
    orchestrated += callUsd(input.price(monitoringTier), t.monitoring, t.outputShare);
    single += callUsd(p, t.singleAgentDiscovery, t.outputShare) + t.workerStart * PER_TOKEN * p.inputPerMTok;
  }
  return { orchestrated, single };
}

function dominantTier(tiers: readonly Tier[]): Tier {
  let best: Tier = tiers[0] ?? 'balanced';
  for (const tier of TIERS) if (tiers.filter((x) => x === tier).length > tiers.filter((x) => x === best).length) best = tier;
  return best;
}

const MAX_BREAK_EVEN_SEARCH = 200;

/** Orchestrated (one plan, shared cached prefix, monitoring) vs one single-agent run per ticket. */
export function estimateBreakEven(input: BreakEvenInput): BreakEvenEstimate {
  const t: StageTokens = { ...DEFAULT_STAGE_TOKENS, ...input.history };
  const { orchestrated, single } = costs(input.ticketTiers, input, t);
  const tier = dominantTier(input.ticketTiers);
  let breakEvenTickets: number | null = null;
  for (let n = 1; n <= MAX_BREAK_EVEN_SEARCH; n++) {
    const c = costs(Array.from({ length: n }, () => tier), input, t);
    if (c.orchestrated <= c.single) {
      breakEvenTickets = n;
      break;
    }
  }
  const n = input.ticketTiers.length;
  const mode = n > 0 && orchestrated <= single ? 'orchestrated' : 'direct';
  const where = breakEvenTickets === null ? 'never pays for itself at these prices' : `pays from ${breakEvenTickets} ${tier} ticket${breakEvenTickets === 1 ? '' : 's'}`;
  const explanation =
    `${n} ticket${n === 1 ? '' : 's'}: orchestrated ${formatUsd(orchestrated)} vs single-agent ${formatUsd(single)} (overheads only); ` +
    `shared planning ${where}, so ${mode === 'orchestrated' ? 'run orchestrated' : 'run direct (no shared planning)'}`;
  return { orchestratedUsd: orchestrated, singleAgentUsd: single, breakEvenTickets, mode, explanation };
}
