import type { Tier } from '../llm/usageRecord';
import { BASE_SCORE, COMPLEXITY_SIGNALS, extractFeatures, type SignalName, type TicketFeatures } from './complexitySignals';
import type { RoutableTicket } from './routableTicket';

export const COMPLEXITY_CLASSES = ['mechanical', 'standard', 'complex'] as const;
export type ComplexityClass = (typeof COMPLEXITY_CLASSES)[number];

/** Class boundaries on the 0–100 score: below `standard` is mechanical, at or above `complex` is complex. */
export const CLASS_THRESHOLDS = { standard: 30, complex: 60 } as const;

/**
 * The tier each class starts on before the outcomes table has anything to say: fast, for every class.
 * On the SWE-bench calibration set (`npm run bench`, routing section) failures escalate one tier at a
 * time, so the first pick barely moves the solved share while fast costs ~1/15 of strong. Starting
 * complex tickets on balanced (the previous map, fast/fast/balanced) cost 0.552 of always-strong and
 * solved 72.0%, dominated by "start fast, escalate" (75.2% at 0.539); starting every class on fast
 * (with the maxTier rule of specification.ts) solves 75.2% at 0.533. The score still sizes the review,
 * names the class the learned router keeps outcomes for, and the learned router moves a class up
 * per repository once its fast outcomes say so.
 */
export const DEFAULT_TIER_BY_CLASS: Readonly<Record<ComplexityClass, Tier>> = {
  mechanical: 'fast',
  standard: 'fast',
  complex: 'fast',
};

export interface SignalContribution {
  readonly name: SignalName;
  readonly value: number;
  /** weight × value, in score points (negative for signals that make a ticket look mechanical). */
  readonly points: number;
  readonly phrase: string;
}

export interface ComplexityScore {
  /** 0–100, rounded. */
  readonly score: number;
  readonly complexityClass: ComplexityClass;
  /** Every signal that moved the score, strongest first. */
  readonly contributions: readonly SignalContribution[];
  readonly features: TicketFeatures;
}

export function classify(score: number): ComplexityClass {
  if (score >= CLASS_THRESHOLDS.complex) return 'complex';
  if (score >= CLASS_THRESHOLDS.standard) return 'standard';
  return 'mechanical';
}

export function scoreComplexity(ticket: RoutableTicket): ComplexityScore {
  const features = extractFeatures(ticket);
  const contributions = COMPLEXITY_SIGNALS.map((signal) => {
    const value = signal.measure(features);
    return { name: signal.name, value, points: signal.weight * value, phrase: signal.describe(features) };
  })
    .filter((c) => c.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const raw = BASE_SCORE + contributions.reduce((sum, c) => sum + c.points, 0);
  const score = Math.round(Math.min(100, Math.max(0, raw)));
  return { score, complexityClass: classify(score), contributions, features };
}

/**
 * "complex: touches auth + migration (score 78)". Names the one or two signals that pushed the score
 * towards its class (up for standard/complex, down for mechanical), so the reason never cites a
 * signal that argued against the pick.
 */
export function describeScore(result: ComplexityScore): string {
  const towardsClass = result.contributions.filter((c) =>
    result.complexityClass === 'mechanical' ? c.points < 0 || c.name === 'size' : c.points > 0,
  );
  const named = towardsClass.slice(0, 2).map((c) => c.phrase);
  const why = named.length > 0 ? named.join(', ') : 'little to go on';
  return `${result.complexityClass}: ${why} (score ${result.score})`;
}
