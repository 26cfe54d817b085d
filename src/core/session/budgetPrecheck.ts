import { routeSelection } from '../batch/runBatch';
import type { GitClient } from '../git/gitClient';
import { resolveBaseCommit } from '../git/repository';
import { worstCaseCostUsd } from '../llm/cost';
import { priceFor } from '../llm/pricing';
import { modelForTier } from '../llm/tiers';
import { estimateInputTokens, MAX_TOKENS_PER_TURN, MIN_USEFUL_MAX_TOKENS, usesOneHourCache } from '../llm/requestEstimate';
import { buildWorkerRequest } from '../worker/promptLayout';
import { buildRepoMap } from '../worker/repoMap';
import type { BatchSelection } from './batchSelection';
import { formatUsd } from '../vocabulary/amounts';
import { formatUsdLimit } from '../usdAmount';


/**
 * The batch budget is below the worst case of the cheapest first call the batch could make, so the
 * budget guard would refuse every call: the batch stops before anything starts (CLI exit code 3).
 */
export class BudgetTooSmallError extends Error {
  override readonly name = 'BudgetTooSmallError';
  /** Which call and what it can cost, and what to do. */
  readonly detail: string;

  constructor(
    readonly budgetUsd: number,
    readonly cheapestUsd: number,
    readonly ticketId: string,
    readonly model: string,
  ) {
    const detail =
      `the first worker request of ${ticketId} on ${model} can cost up to ${formatUsd(cheapestUsd)} ` +
      `(prompt estimate + ${MIN_USEFUL_MAX_TOKENS} output tokens, the least a call is sized down to); raise the budget or choose a cheaper tier`;
    super(`The batch budget of ${formatUsdLimit(budgetUsd)} is below the cheapest call this batch could make: ${detail}`);
    this.detail = detail;
  }
}

/**
 * The smallest worst case among the selection's first worker requests, laid out as the worker lays
 * them out (system, tools, repository map, ticket) with an empty batch plan, so the estimate is a
 * lower bound of what the batch will really ask. The prompt is estimated the way LlmClient
 * estimates it for the budget hook (characters / 3), so a budget this check lets through is not
 * refused by the guard for the same call. Tickets on models without a price are skipped: the guard
 * cannot hold them against a limit either.
 */
export async function cheapestFirstCall(selection: Pick<BatchSelection, 'repo' | 'tickets' | 'settings' | 'mode' | 'tier'>, git: GitClient): Promise<{ usd: number; ticketId: string; model: string } | null> {
  const base = await resolveBaseCommit(git, selection.repo);
  const repoMap = await buildRepoMap(git, base.root, base.commit);
  const decisions = routeSelection(selection.tickets, selection);
  let cheapest: { usd: number; ticketId: string; model: string } | null = null;
  for (const ticket of selection.tickets) {
    const decision = decisions.get(ticket.id);
    if (!decision) continue;
    const model = decision.modelId ?? modelForTier(decision.tier ?? 'strong', selection.settings['llm.tiers']);
    const price = priceFor(model, selection.settings['llm.pricing']);
    if (!price) continue;
    const request = buildWorkerRequest({
      model,
      maxTokens: MAX_TOKENS_PER_TURN,
      shared: { repoMap, batchPlan: '' },
      ticket: { id: ticket.id, title: ticket.title, description: ticket.description, acceptance: ticket.acceptance, files: ticket.files },
      conversation: [],
    });
    const estimate = estimateInputTokens(request);
    // The guard sizes a call down to MIN_USEFUL_MAX_TOKENS before it refuses it.
    const usd = worstCaseCostUsd(estimate, MIN_USEFUL_MAX_TOKENS, price, usesOneHourCache(request));
    if (cheapest === null || usd < cheapest.usd) cheapest = { usd, ticketId: ticket.id, model };
  }
  return cheapest;
}

/** Throws BudgetTooSmallError when the batch budget cannot pay for even the cheapest first call. */
export async function checkBudgetCoversFirstCall(selection: Pick<BatchSelection, 'repo' | 'tickets' | 'settings' | 'mode' | 'tier' | 'budgetUsd'>, git: GitClient): Promise<void> {
  const setting = selection.settings['budget.batchUsd'];
  const budget = selection.budgetUsd ?? (setting > 0 ? setting : null);
  if (budget === null) return;
  const cheapest = await cheapestFirstCall(selection, git);
  if (cheapest && budget < cheapest.usd) throw new BudgetTooSmallError(budget, cheapest.usd, cheapest.ticketId, cheapest.model);
}
