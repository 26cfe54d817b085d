import type { ReviewChoice } from '../tickets/ticketSchema';
import { matchAlwaysFullFor, type AlwaysFullMatch } from './alwaysFullFor';
import type { DiffSummary } from './diffSummary';
import { extractRiskFeatures, type RiskFeatures } from './riskFeatures';
import { levelForScore, type ReviewLevel } from './reviewLevels';
import { RISK_BASE_SCORE, RISK_SIGNALS, type RiskSignalName } from './riskSignals';

export interface RiskContribution {
  readonly name: RiskSignalName;
  readonly value: number;
  /** weight × value, in score points (negative for signals that lower the risk). */
  readonly points: number;
  readonly phrase: string;
}

export interface RiskAssessment {
  /** 0–100, rounded. */
  readonly score: number;
  /** The level the score alone gives, or comprehensive when an alwaysFullFor entry matched. */
  readonly level: ReviewLevel;
  /** Every signal that moved the score, strongest first. */
  readonly contributions: readonly RiskContribution[];
  readonly forcedBy?: AlwaysFullMatch;
  readonly features: RiskFeatures;
}

export interface RiskOptions {
  /** `flotilla.review.alwaysFullFor`: paths, globs or words that force a comprehensive review. */
  readonly alwaysFullFor?: readonly string[];
}

export function scoreRisk(diff: DiffSummary, options: RiskOptions = {}): RiskAssessment {
  const features = extractRiskFeatures(diff);
  const forcedBy = matchAlwaysFullFor(options.alwaysFullFor ?? [], diff);
  // An empty change has nothing to review beyond the build still working.
  if (features.fileCount === 0) {
    return { score: 0, level: forcedBy ? 'comprehensive' : 'minimal', contributions: [], features, ...(forcedBy ? { forcedBy } : {}) };
  }
  const contributions = RISK_SIGNALS.map((signal) => {
    const value = signal.measure(features);
    return { name: signal.name, value, points: Math.round(signal.weight * value * 10) / 10, phrase: signal.describe(features) };
  })
    .filter((c) => c.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const raw = RISK_BASE_SCORE + contributions.reduce((sum, c) => sum + c.points, 0);
  const score = Math.round(Math.min(100, Math.max(0, raw)));
  return { score, level: forcedBy ? 'comprehensive' : levelForScore(score), contributions, features, ...(forcedBy ? { forcedBy } : {}) };
}

export interface LevelDecision {
  readonly level: ReviewLevel;
  /** One line per thing that decided the level, for the UI and the execution log. */
  readonly reasons: readonly string[];
}

/**
 * The level the review runs at. The ticket's `review:` field overrides the score in either direction,
 * but not an alwaysFullFor match: that setting is the workspace owner's "always", and a ticket (which
 * anyone can write) must not talk its way below it.
 */
export function decideLevel(risk: RiskAssessment, ticketChoice: ReviewChoice = 'auto'): LevelDecision {
  const reasons = explainRisk(risk);
  if (risk.forcedBy) {
    if (ticketChoice !== 'auto' && ticketChoice !== 'comprehensive') {
      reasons.push(`ticket asks for review: ${ticketChoice}, but alwaysFullFor keeps it comprehensive`);
    }
    return { level: 'comprehensive', reasons };
  }
  if (ticketChoice === 'auto') return { level: risk.level, reasons };
  if (ticketChoice !== risk.level) reasons.push(`ticket sets review: ${ticketChoice} (risk alone gives ${risk.level})`);
  return { level: ticketChoice, reasons };
}

/** "risk 90 → comprehensive", then each signal with its points: "+35 destructive SQL: DROP TABLE in …". */
export function explainRisk(risk: RiskAssessment): string[] {
  const lines = [`risk ${risk.score} → ${levelForScore(risk.score)}`];
  if (risk.features.fileCount === 0) lines.push('no files changed');
  for (const c of risk.contributions) lines.push(`${c.points > 0 ? '+' : ''}${c.points} ${c.phrase}`);
  if (risk.forcedBy) {
    const where = risk.forcedBy.matchedIn === 'path' ? `path ${risk.forcedBy.path}` : `a changed line in ${risk.forcedBy.path}`;
    lines.push(`alwaysFullFor "${risk.forcedBy.entry}" matches ${where} → comprehensive`);
  }
  return lines;
}
