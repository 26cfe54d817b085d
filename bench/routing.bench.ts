/**
 * Routing on real issues (issue 15, `routing`): every policy replayed over the calibration set's real
 * outcomes (escalate one tier when unresolved, never past maxTier; a perfect gate), solved share and
 * cost ÷ always-strong. `router_cascade` is what Flotilla ships; `router_cascade_before` is the policy
 * it replaced (complex tickets started on balanced, underspecified ones capped at balanced).
 */
import type { Tier } from '../src/core/llm/usageRecord';
import { replayEscalation, type EscalationPlan, type TierOutcomes } from '../src/core/routing/escalationReplay';
import { checkSpecification } from '../src/core/routing/specification';
import { writeBenchResult } from './benchResults';
import { loadCalibration, locateCalibrationFile, type CalibrationRow } from './calibrationData';
import { probeThenRoute } from './routingProbe';

const plan = (start: Tier, maxTier: Tier, step: EscalationPlan['step'] = 'next'): EscalationPlan => ({ start, maxTier, step });

/** The shipped policy until this change: fast/fast/balanced by class, every underspecified ticket capped. */
function previousPlan(row: CalibrationRow): EscalationPlan {
  const spec = checkSpecification(row.ticket);
  const cap: Tier = !spec.underspecified ? 'strong' : spec.maxTier === 'fast' ? 'fast' : 'balanced';
  const start: Tier = row.decision.complexityClass === 'complex' ? 'balanced' : 'fast';
  return plan(cap === 'fast' ? 'fast' : start, cap);
}

function oracle(tasks: readonly TierOutcomes[]): { solved: number; costUsd: number } {
  let solved = 0;
  let costUsd = 0;
  for (const o of tasks) {
    // The cheapest tier that solves it, paid once; a ticket no tier solves is not attempted.
    const tier = (['fast', 'balanced', 'strong'] as const).find((t) => o[t].resolved);
    if (tier) {
      solved++;
      costUsd += o[tier].costUsd;
    }
  }
  return { solved, costUsd };
}

function main(): void {
  const located = locateCalibrationFile();
  if (located.file === null) {
    const reason = `calibration.jsonl not found (looked in ${located.looked.slice(0, 3).join(', ')} …; set FLOTILLA_CALIBRATION)`;
    console.log(`routing: ${reason}`);
    process.exitCode = 1;
    return;
  }
  const rows = loadCalibration(located.file);
  const tasks = rows.map((r) => r.outcomes);
  const strongCost = replayEscalation(tasks, () => plan('strong', 'strong')).costUsd;
  const policies: Record<string, { solved: number; costUsd: number }> = {};
  const add = (name: string, planFor: (i: number) => EscalationPlan) => {
    const r = replayEscalation(tasks, planFor);
    policies[name] = { solved: r.solved, costUsd: r.costUsd };
  };
  const decision = (i: number) => rows[i]!.decision;
  add('router', (i) => plan(decision(i).tier ?? 'strong', decision(i).tier ?? 'strong'));
  add('router_cascade', (i) => plan(decision(i).tier ?? 'strong', decision(i).maxTier ?? 'strong'));
  add('always_strong', () => plan('strong', 'strong'));
  add('always_fast', () => plan('fast', 'fast'));
  add('cascade_from_fast', () => plan('fast', 'strong'));
  add('fast_then_strong', () => plan('fast', 'strong', 'strongest'));
  policies.oracle = oracle(tasks);
  add('router_cascade_before', (i) => previousPlan(rows[i]!));
  const probe = probeThenRoute(tasks);
  policies.probe_cascade_cv = { solved: probe.solved, costUsd: probe.costUsd };

  const values: Record<string, { solved: number; cost_over_strong: number }> = {};
  console.log(`Routing replay over ${rows.length} real issues (${located.file}); cost ÷ always-strong ($${strongCost.toFixed(2)})\n`);
  console.log('policy                  solved   cost ÷ strong');
  for (const [name, r] of Object.entries(policies)) {
    values[name] = { solved: r.solved / rows.length, cost_over_strong: r.costUsd / strongCost };
    console.log(`${name.padEnd(22)}  ${((100 * r.solved) / rows.length).toFixed(1).padStart(5)}%   ${(r.costUsd / strongCost).toFixed(3)}`);
  }
  const ins = probe.inSample;
  console.log(
    `\nprobe_cascade_cv: after a failed fast attempt, its cost (turns/tokens used) picks what follows; rules fitted on 4 folds, scored on the 5th:` +
      `\n  per fold: ${probe.rulesPerFold.map((r) => `q${r.quantile} cheap→${r.cheap} costly→${r.costly}`).join('; ')}` +
      `\n  in-sample best (the set fitting itself): q${ins.quantile} cheap→${ins.cheap} costly→${ins.costly}: ${((100 * ins.solved) / rows.length).toFixed(1)}% at ${(ins.costUsd / strongCost).toFixed(3)}`,
  );
  writeBenchResult('routing', values, 'calibration');
}

main();
