import { TIERS, type Tier } from '../llm/usageRecord';
import type { RoutableTicket } from './routableTicket';

/**
 * How far escalation may go for a ticket. On the SWE-bench calibration set a quarter of the issues
 * are solved by no model, and escalating through every tier on them costs a third of always-strong;
 * but text barely tells which ones those are. Capping every underspecified ticket (no example, no
 * expected behaviour, no files) at balanced gave up 6 solves to save 5% of always-strong — $1.18 per
 * lost solve against $0.47 per solve on average — so such a ticket is flagged (the reason asks for
 * what is missing) but keeps the strong ceiling. Only a ticket that is also very short stops at fast:
 * on that set the cap cost no solve, and asking the user is cheaper than a stronger model guessing.
 */
export interface SpecificationCheck {
  readonly underspecified: boolean;
  readonly maxTier: Tier;
  /** What is missing, for the reason line and the question to the user; empty when well specified. */
  readonly missing: readonly string[];
}

// Code fences (Markdown or Trac), REPL prompts, shell prompts, indented code or inline code.
const EXAMPLE = /```|\{\{\{|^(>>>|\$ |\t|    )\S|`[^`\n]+`/m;
const EXPECTATION = /\b(expect\w*|should|instead|actual\w*|reproduc\w*|traceback|steps|acceptance)\b/i;

/** Below this many words an underspecified ticket is too thin for any tier above fast. */
export const VERY_SHORT_WORDS = 30;

export function checkSpecification(ticket: RoutableTicket): SpecificationCheck {
  const missing: string[] = [];
  if (!EXAMPLE.test(ticket.body)) missing.push('an example or reproduction');
  if (!EXPECTATION.test(ticket.body)) missing.push('the expected behaviour');
  if (ticket.files.length === 0) missing.push('the files involved');
  const underspecified = missing.length === 3;
  if (!underspecified) return { underspecified: false, maxTier: 'strong', missing: [] };
  const words = `${ticket.title} ${ticket.body}`.split(/\s+/).filter((w) => w.length > 0).length;
  return { underspecified: true, maxTier: words < VERY_SHORT_WORDS ? 'fast' : 'strong', missing };
}

export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

export function lowerTier(a: Tier, b: Tier): Tier {
  return tierRank(a) <= tierRank(b) ? a : b;
}

export function higherTier(a: Tier, b: Tier): Tier {
  return tierRank(a) >= tierRank(b) ? a : b;
}
