import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { MAX_TOKENS_PER_TURN } from '../llm/requestEstimate';
import type { CallMeta, LlmClient } from '../llm/llmClient';
import { LlmError } from '../llm/llmErrors';
import type { Logger } from '../logger';
import type { RouteDecision } from '../routing/routeTicket';
import { BudgetExceededError } from '../store/budget';
import { descriptionForModel } from '../tickets/issueText';
import type { Ticket } from '../tickets/ticketSchema';
import { batchPlanSchema, heuristicPlan, heuristicTicketPlan, type BatchPlan } from './batchPlan';
import { parseModelJson } from './modelJson';
import type { UsageRecord } from '../llm/usageRecord';
import { cachedUsageRecord, sha256 } from '../store/cacheKey';
import type { TextCache } from '../store/textCache';

const PLANNER_SYSTEM = `You are the planner of a Flotilla batch: several coding tickets that separate workers will each implement in their own copy of the repository. Plan once for the whole batch so workers do not each rediscover the codebase.

Reply with JSON only, no prose, in exactly this shape:
{"summary": "what the batch changes overall and anything workers must know (shared conventions, order)",
 "tickets": [{"id": "<ticket id>", "class": "mechanical" | "standard" | "complex", "likelyFiles": ["path/from/repo/root"], "steps": ["short imperative step"], "acceptanceChecks": ["how to tell it is done"]}]}
Include every ticket id exactly once. Paths must exist in the repository map unless the ticket creates them.`;

export interface PlanningRequest {
  readonly client: Pick<LlmClient, 'call'>;
  readonly model: string;
  readonly meta: CallMeta;
  readonly repoMap: string;
  readonly tickets: readonly Ticket[];
  readonly decisions: ReadonlyMap<string, RouteDecision>;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  /** Planning is deterministic for the same tickets and repository: a cached plan is reused (1 h by default). */
  readonly cache?: TextCache;
  /** Records a cache hit in the ledger (cached, cost 0). */
  readonly recordCached?: (record: UsageRecord) => Promise<void>;
}

export interface PlanningResult {
  readonly plan: BatchPlan;
  /** Why the heuristic plan was used, when it was. */
  readonly fallbackReason?: string;
  readonly costUsd: number | null;
  readonly tokens: number;
}

/**
 * One planning call for the whole batch. Invalid output gets one repair call that shows the model
 * its validation error; after that, or when the call fails, the heuristic plan is used — planning
 * improves a batch but never blocks it.
 */
export async function planBatch(request: PlanningRequest): Promise<PlanningResult> {
  const prompt = renderPlanningPrompt(request.repoMap, request.tickets);
  const key = sha256(JSON.stringify(['flotilla-plan', PLANNER_SYSTEM, request.model, prompt]));
  const cached = request.cache ? parseModelJson((await request.cache.get(key).catch(() => undefined)) ?? '', batchPlanSchema) : undefined;
  if (cached?.ok) {
    await request.recordCached?.(cachedUsageRecord({ ...request.meta, stage: 'plan', model: request.model }, 0, Date.now()));
    request.logger.info('Shared plan reused from the response cache.');
    return { plan: completePlan(cached.value, request), costUsd: 0, tokens: 0 };
  }
  const result = await callPlanner(request, prompt);
  if (result.plan.source === 'model' && request.cache) await request.cache.set(key, JSON.stringify({ summary: result.plan.summary, tickets: result.plan.tickets })).catch(() => undefined);
  return result;
}

async function callPlanner(request: PlanningRequest, prompt: string): Promise<PlanningResult> {
  const messages: MessageParam[] = [{ role: 'user', content: prompt }];
  let costUsd: number | null = 0;
  let tokens = 0;
  for (let round = 1; round <= 2; round++) {
    let text: string;
    try {
      const result = await request.client.call(
        { model: request.model, max_tokens: MAX_TOKENS_PER_TURN, system: PLANNER_SYSTEM, messages },
        { ...request.meta, stage: 'plan' },
        { signal: request.signal },
      );
      text = result.text;
      costUsd = costUsd === null || result.costUsd === null ? null : costUsd + result.costUsd;
      tokens += result.usage.inputTokens + result.usage.outputTokens + result.usage.cacheReadTokens + result.usage.cacheWrite5mTokens + result.usage.cacheWrite1hTokens;
    } catch (error) {
      // The guard refused the planning call: the workers' calls are smaller and may still fit the budget.
      if (error instanceof BudgetExceededError) return fallback(request, `the planning call would cross the budget (${error.message})`, costUsd, tokens);
      if (!(error instanceof LlmError) || request.signal?.aborted) throw error;
      return fallback(request, `the planning call failed: ${error.message}`, costUsd, tokens);
    }
    const parsed = parseModelJson(text, batchPlanSchema);
    if (parsed.ok) {
      return { plan: completePlan(parsed.value, request), costUsd, tokens };
    }
    if (round === 1) {
      request.logger.warn(`Planning output was invalid (${parsed.error}); asking the model to repair it once.`);
      messages.push({ role: 'assistant', content: text }, { role: 'user', content: `That was not valid: ${parsed.error}. Reply again with the corrected JSON only.` });
      continue;
    }
    return fallback(request, `the planning output was invalid twice (${parsed.error})`, costUsd, tokens);
  }
  return fallback(request, 'unreachable', costUsd, tokens);
}

function fallback(request: PlanningRequest, reason: string, costUsd: number | null, tokens: number): PlanningResult {
  request.logger.warn(`Using the heuristic plan: ${reason}.`);
  return { plan: heuristicPlan(request.tickets, request.decisions, 'heuristic'), fallbackReason: reason, costUsd, tokens };
}

/** Keeps the model's plan for known tickets, drops unknown ids, fills any it left out. */
function completePlan(plan: Omit<BatchPlan, 'source'>, request: PlanningRequest): BatchPlan {
  const byId = new Map(plan.tickets.map((t) => [t.id, t]));
  const tickets = request.tickets.map((ticket) => byId.get(ticket.id) ?? heuristicTicketPlan(ticket, request.decisions.get(ticket.id) as RouteDecision));
  return { summary: plan.summary, tickets, source: 'model' };
}

export function renderPlanningPrompt(repoMap: string, tickets: readonly Ticket[]): string {
  const blocks = tickets.map((t) => {
    const lines = [`<ticket id="${t.id}">`, `Title: ${t.title}`];
    if (t.description || t.issue) lines.push(descriptionForModel(t.description, t.issue));
    if (t.dependsOn.length) lines.push(`Depends on: ${t.dependsOn.join(', ')}`);
    if (t.files.length) lines.push(`Files named by the ticket: ${t.files.join(', ')}`);
    if (t.acceptance.length) lines.push(`Acceptance: ${t.acceptance.join('; ')}`);
    lines.push('</ticket>');
    return lines.join('\n');
  });
  return `<repository_map>\n${repoMap}\n</repository_map>\n\n${blocks.join('\n\n')}`;
}
