import type { BatchEstimate } from '../batch/batchEstimate';
import type { TypicalCost } from '../batch/typicalCost';
import type { RouteDecision } from '../routing/routeTicket';
import { modelForTier, type TierModels } from '../llm/tiers';
import { planningLine } from '../batch/planningLine';
import { formatUsd } from '../vocabulary/amounts';
import { overBudget, type BudgetView } from './runStateText';
import { sandboxLine, type SandboxState } from './sandboxNotice';

// Pure text for the run confirmation (no `vscode` import), unit-tested without an extension host.

export interface ConfirmationInput {
  readonly decisions: readonly RouteDecision[];
  /** The model id of each tier (settings), so each ticket's model is named, not only its tier. */
  readonly tierModels: TierModels;
  readonly estimate: BatchEstimate;
  readonly typical: TypicalCost;
  readonly budget: BudgetView;
  readonly simulated: boolean;
  /** Whether gates and allowed commands run in the sandbox; the confirmation says when they do not. */
  readonly sandbox: SandboxState;
}

export interface ConfirmationText {
  /** The question, with the ticket count. */
  readonly message: string;
  /** A few short lines: each ticket's model, cost expected and at worst (and why), budget left, shared planning, and a sandbox warning. */
  readonly detail: string;
  /** Everything behind "Details": each ticket's model and why, the overhead comparison, the caps. */
  readonly details: string;
}

/** What the user reads before a batch runs (and what Plan Batch shows), in plain words. */
export function confirmationText(input: ConfirmationInput): ConfirmationText {
  const { estimate, typical, budget, simulated } = input;
  const count = input.decisions.length;
  const noun = count === 1 ? 'ticket' : 'tickets';
  const lines = [
    ...modelLines(input),
    '',
    `Expected cost: about ${formatUsd(typical.usd)} (typical).`,
    worstCaseLine(estimate, count),
    budgetLine(budget),
    planningLine(estimate, count),
  ];
  const over = overBudget(estimate.capUsd, budget);
  if (over) lines.push(`The worst case is above the ${over} budget: the batch stops when that is reached.`);
  if (simulated) lines.push('Simulated model: nothing is billed; the figures are what Claude would cost.');
  const sandbox = sandboxLine(input.sandbox, 'editor');
  if (sandbox) lines.push(sandbox);
  return { message: `Run ${count} ${noun}${simulated ? ' (simulated)' : ''}?`, detail: lines.join('\n'), details: detailsText(input) };
}

/** The model each ticket starts on, by model: "claude-haiku-5-5 (fast): D1, D2". */
function modelLines({ decisions, tierModels }: ConfirmationInput): string[] {
  const byModel = new Map<string, string[]>();
  for (const d of decisions) {
    const key = modelOf(d, tierModels);
    byModel.set(key, [...(byModel.get(key) ?? []), d.id]);
  }
  const groups = [...byModel].map(([model, ids]) => `${model}: ${ids.join(', ')}`);
  return groups.length === 1 ? [`Model: ${groups[0]}`] : ['Models:', ...groups.map((g) => `  ${g}`)];
}

/** "claude-haiku-5-5 (fast)", or a model id picked outright with "(picked)". */
function modelOf(decision: RouteDecision, tierModels: TierModels): string {
  if (decision.tier !== null) return `${modelForTier(decision.tier, tierModels)} (${decision.tier})`;
  return `${decision.modelId ?? '?'} (picked)`;
}

/** The worst case and where it comes from, in one line. */
function worstCaseLine(estimate: BatchEstimate, count: number): string {
  const { runsPerTicket, capPerRunUsd } = estimate.worstCase;
  const runs = runsPerTicket === 1 ? '1 run' : `${runsPerTicket} runs (the first, fix loops, moves up a tier)`;
  return `Worst case: ${formatUsd(estimate.capUsd)} — ${count} ${count === 1 ? 'ticket' : 'tickets'} × ${runs} × the ${formatUsd(capPerRunUsd)} cap per run.`;
}

function budgetLine(budget: BudgetView): string {
  const parts: string[] = [];
  if (budget.monthlyUsd !== null) parts.push(`${formatUsd(Math.max(0, budget.monthlyUsd - budget.monthSpentUsd))} left of ${formatUsd(budget.monthlyUsd)} this month`);
  if (budget.batchUsd !== null) parts.push(`${formatUsd(budget.batchUsd)} per batch`);
  return parts.length > 0 ? `Budget: ${parts.join(', ')}.` : 'Budget: no limit set.';
}

function detailsText(input: ConfirmationInput): string {
  const { estimate, typical } = input;
  const be = estimate.breakEven;
  const lines = ['Models (a ticket whose gates still fail after its fix loop moves up a tier)', ...input.decisions.map((d) => `  ${d.id}: ${modelOf(d, input.tierModels)} — ${d.reason}`), ''];
  lines.push('Cost');
  lines.push(
    typical.fromHistory === typical.tickets
      ? `  Typical: the average first run of each ticket's model and class in this repository.`
      : typical.fromHistory > 0
        ? `  Typical: ${typical.fromHistory} of ${typical.tickets} tickets priced from this repository's runs, the rest from default run sizes.`
        : '  Typical: default run sizes (no history in this repository yet), if every ticket passes its first run.',
  );
  lines.push(`  Worst case: every ticket uses all its fix loops and tier moves, each run stopped at the per-run cost cap (${formatUsd(estimate.capUsd)}).`);
  lines.push('', 'Shared planning');
  lines.push(`  Start-up overheads: with one planning call ${formatUsd(be.orchestratedUsd)}, with separate single-agent starts ${formatUsd(be.singleAgentUsd)}.`);
  lines.push(`  ${estimate.modeReason}`);
  return lines.join('\n');
}
