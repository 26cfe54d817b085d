/**
 * The SWE-bench routing calibration set (../shared/data/swebench-routing, see its README): 246 real
 * issues with each tier's real outcome. Found by walking up from this folder (a worktree or a clone
 * next to `shared/` both work) or named by FLOTILLA_CALIBRATION. Labels never reach the router: it
 * sees only what a `flotilla route` input line carries.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Tier } from '../src/core/llm/usageRecord';
import { scoreComplexity } from '../src/core/routing/complexityScore';
import type { TierOutcomes } from '../src/core/routing/escalationReplay';
import { routableFromInputLine, routeInputLineSchema, type RoutableTicket } from '../src/core/routing/routableTicket';
import { routeTicket, type RouteDecision } from '../src/core/routing/routeTicket';

/** The README's evaluation mapping of tiers to the models whose outcomes were recorded. */
export const MODEL_FOR_TIER: Readonly<Record<Tier, string>> = { fast: 'gpt-5-mini', balanced: 'gpt-5', strong: 'sonnet-4-5' };

const RELATIVE = join('shared', 'data', 'swebench-routing', 'calibration.jsonl');

const outcomeSchema = z.object({ resolved: z.boolean(), cost_usd: z.number().nonnegative() });
const labelSchema = z.object({
  difficulty: z.enum(['<15 min fix', '15 min - 1 hour', '1-4 hours', '>4 hours']),
  outcomes: z.record(z.string(), outcomeSchema),
});

export interface CalibrationRow {
  readonly ticket: RoutableTicket;
  readonly decision: RouteDecision;
  readonly words: number;
  readonly easy: boolean;
  readonly outcomes: TierOutcomes;
}

/** The calibration file, or null with the places looked in. */
export function locateCalibrationFile(): { file: string } | { file: null; looked: string[] } {
  if (process.env.FLOTILLA_CALIBRATION) return { file: process.env.FLOTILLA_CALIBRATION };
  const looked: string[] = [];
  for (let dir = resolve(__dirname, '..'); ; dir = dirname(dir)) {
    const candidate = join(dirname(dir), RELATIVE);
    looked.push(candidate);
    if (existsSync(candidate)) return { file: candidate };
    if (dirname(dir) === dir) return { file: null, looked };
  }
}

export function loadCalibration(file: string): CalibrationRow[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  return lines.map((line, i) => {
    const json: unknown = JSON.parse(line);
    // The router gets only the input-line fields; the labels are parsed separately.
    const ticket = routableFromInputLine(routeInputLineSchema.parse(json));
    const labels = labelSchema.parse(json);
    const outcome = (tier: Tier) => {
      const o = labels.outcomes[MODEL_FOR_TIER[tier]];
      if (o === undefined) throw new Error(`${file}:${i + 1}: no outcome for ${MODEL_FOR_TIER[tier]}`);
      return { resolved: o.resolved, costUsd: o.cost_usd };
    };
    return {
      ticket,
      decision: routeTicket(ticket),
      words: scoreComplexity(ticket).features.words,
      easy: labels.difficulty === '<15 min fix',
      outcomes: { fast: outcome('fast'), balanced: outcome('balanced'), strong: outcome('strong') },
    };
  });
}
