import type { BatchEstimate } from '../batch/batchEstimate';
import type { TypicalCost } from '../batch/typicalCost';
import type { RouteDecision } from '../routing/routeTicket';
import { planningLine } from '../batch/planningLine';
import { formatUsd } from '../vocabulary/amounts';
import { overBudget, type BudgetView } from './runStateText';
import { sandboxLine, type SandboxState } from './sandboxNotice';

// Pure text for the run confirmation (no `vscode` import), unit-tested without an extension host.

export interface ConfirmationInput {
  readonly decisions: readonly RouteDecision[];
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
  /** A few short lines: cost expected and at worst, budget left, shared planning in one line, and a sandbox warning. */
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
    `Expected cost: about ${formatUsd(typical.usd)} (typical); at most ${formatUsd(estimate.capUsd)} (worst case).`,
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

function budgetLine(budget: BudgetView): string {
  const parts: string[] = [];
  if (budget.monthlyUsd !== null) parts.push(`${formatUsd(Math.max(0, budget.monthlyUsd - budget.monthSpentUsd))} left of ${formatUsd(budget.monthlyUsd)} this month`);
  if (budget.batchUsd !== null) parts.push(`${formatUsd(budget.batchUsd)} per batch`);
  return parts.length > 0 ? `Budget: ${parts.join(', ')}.` : 'Budget: no limit set.';
}

function detailsText(input: ConfirmationInput): string {
  const { estimate, typical } = input;
  const be = estimate.breakEven;
  const lines = ['Models', ...input.decisions.map((d) => `  ${d.id}: ${d.tier ?? d.modelId ?? '?'} — ${d.reason}`), ''];
  lines.push('Cost');
  lines.push(
    typical.fromHistory === typical.tickets
      ? `  Typical: the average first run of each ticket's model and class in this repository.`
      : typical.fromHistory > 0
        ? `  Typical: ${typical.fromHistory} of ${typical.tickets} tickets priced from this repository's runs, the rest from default run sizes.`
        : '  Typical: default run sizes (no history in this repository yet), if every ticket passes its first run.',
  );
  lines.push(`  Worst case: every ticket uses all its fix loops and tier moves at the per-run cost cap (${formatUsd(estimate.capUsd)}).`);
  lines.push('', 'Shared planning');
  lines.push(`  Start-up overheads: with one planning call ${formatUsd(be.orchestratedUsd)}, with separate single-agent starts ${formatUsd(be.singleAgentUsd)}.`);
  lines.push(`  ${estimate.modeReason}`);
  return lines.join('\n');
}
