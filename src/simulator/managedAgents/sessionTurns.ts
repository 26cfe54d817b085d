import { errorMessage } from '../../core/errorText';
import { findModel } from '../builtinModels';
import { resolveTurn } from '../messageBody';
import { promptSegments } from '../promptSegments';
import type { SimulatorContext } from '../simulatorContext';
import type { RecordedRequest } from '../simulatorTypes';
import { addRequest, sessionModelRequest, usageSnapshot } from './sessionRequest';
import type { SimSession } from './simSession';

/** What the model loop needs beyond the session: the simulator's responder, cache and billing, and its pace. */
export interface TurnContext {
  readonly sim: SimulatorContext;
  /** Time each model request takes (the simulated model's thinking). */
  readonly modelTurnMs: number;
  readonly maxTokens: number;
  /** Every model request the platform made for a session, as the responder saw it. */
  readonly modelRequests: RecordedRequest[];
}

/**
 * Runs the session's agent loop until it needs something from outside: model requests one after
 * another (each billed like a /v1/messages call), tool calls emitted as `agent.custom_tool_use` and
 * then idle with `requires_action` until every result is in; idle with `end_turn` when the model
 * answers without a tool, `budget_reached` once the list cost reached the ceiling (the request that
 * crossed it completes), `retries_exhausted` when the model request fails. An interrupt stops it
 * after the request in flight. One loop per session at a time; later triggers wait for it.
 */
export async function advanceSession(ctx: TurnContext, session: SimSession): Promise<void> {
  if (session.running || session.terminated) return;
  session.running = true;
  try {
    session.setStatus('running');
    for (;;) {
      const next = session.queuedMessages.shift();
      if (next) session.conversation.push(next);
      if (session.interruptRequested) return idle(session, 'end_turn');
      if (overCeiling(session)) return idle(session, 'budget_reached');
      const requested = await modelRequest(ctx, session);
      if (requested === 'stopped') return;
      if (requested === 'failed') return idle(session, 'retries_exhausted');
      if (session.interruptRequested) {
        session.pending.clear();
        return idle(session, 'end_turn');
      }
      if (session.pending.size > 0) return idle(session, 'requires_action');
      if (session.queuedMessages.length === 0) return idle(session, 'end_turn');
    }
  } finally {
    session.running = false;
  }
}

/** A result for one of the pending calls; the last one lets the model continue. False: not a pending call. */
export function acceptToolResult(ctx: TurnContext, session: SimSession, toolUseId: string, content: unknown[] | undefined, isError: boolean): boolean {
  if (!session.pending.has(toolUseId)) return false;
  session.pending.delete(toolUseId);
  session.results.push({ type: 'tool_result', tool_use_id: toolUseId, content: content ?? [], is_error: isError });
  if (session.pending.size === 0) {
    session.conversation.push({ role: 'user', content: session.results.splice(0) });
    void advanceSession(ctx, session).catch(() => undefined);
  }
  return true;
}

async function modelRequest(ctx: TurnContext, session: SimSession): Promise<'ok' | 'stopped' | 'failed'> {
  const start = session.emit({ type: 'span.model_request_start' });
  try {
    await ctx.sim.delay(ctx.modelTurnMs);
  } catch {
    return 'stopped'; // the simulator is closing
  }
  if (session.terminated) return 'stopped';
  const request = sessionModelRequest(session.agent, session.conversation, ctx.maxTokens);
  const now = ctx.sim.now();
  const recorded: RecordedRequest = { id: `req_sim_${session.id}_${ctx.modelRequests.length + 1}`, method: 'POST', path: `/v1/sessions/${session.id}/model_request`, headers: {}, body: request, at: now };
  ctx.modelRequests.push(recorded);
  let turn;
  try {
    const model = findModel(ctx.sim.models, request.model);
    if (!model) throw new Error(`model ${request.model} is not served`);
    const plan = ctx.sim.cache.plan(model.id, model.minCacheableTokens, promptSegments(request), now);
    ctx.sim.cache.commit(plan, now);
    turn = resolveTurn(ctx.sim.responder()(recorded), request.max_tokens, () => ctx.sim.nextId('toolu'));
    // Billed whole at once: the session's platform, not a client, reads the answer.
    ctx.sim.billing.report(recorded.id, model.id, plan.usage, turn.outputTokens).answered();
    addRequest(session.tally, model.id, plan.usage, turn.outputTokens);
    session.emit({
      type: 'span.model_request_end',
      model_request_start_id: start.id,
      is_error: false,
      model_usage: { input_tokens: plan.usage.inputTokens, output_tokens: turn.outputTokens, cache_read_input_tokens: plan.usage.cacheReadTokens, cache_creation_input_tokens: plan.usage.cacheWrite5mTokens + plan.usage.cacheWrite1hTokens },
    });
  } catch (error) {
    session.emit({ type: 'span.model_request_end', model_request_start_id: start.id, is_error: true, model_usage: { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } });
    session.emit({ type: 'session.error', error: { type: 'model_request_failed_error', message: `simulated model request failed: ${errorMessage(error)}`, retry_status: { type: 'terminal' } } });
    return 'failed';
  }
  const assistant: Record<string, unknown>[] = [];
  const texts = turn.content.flatMap((b) => (b.type === 'text' && b.text !== '' ? [{ type: 'text' as const, text: b.text }] : []));
  if (texts.length > 0) {
    session.emit({ type: 'agent.message', content: texts });
    assistant.push(...texts);
  }
  for (const block of turn.content) {
    if (block.type !== 'tool_use') continue;
    const input = typeof block.input === 'object' && block.input !== null ? (block.input as Record<string, unknown>) : {};
    const event = session.emit({ type: 'agent.custom_tool_use', name: block.name, input });
    session.pending.set(event.id, { name: block.name });
    assistant.push({ type: 'tool_use', id: event.id, name: block.name, input });
  }
  if (assistant.length > 0) session.conversation.push({ role: 'assistant', content: assistant });
  session.emit({ type: 'session.usage', usage: usageSnapshot(session.tally, session.activeMs()), budget: session.budget });
  return 'ok';
}

/** The ceiling is reached once the exact list cost is at max_list_cost (its cents); checked before each request. */
function overCeiling(session: SimSession): boolean {
  if (!session.budget || session.tally.listCostUsd === null) return false;
  return session.tally.listCostUsd * 100 >= Number(session.budget.max_list_cost.amount);
}

function idle(session: SimSession, reason: 'end_turn' | 'requires_action' | 'budget_reached' | 'retries_exhausted'): void {
  session.interruptRequested = false;
  // The final usage, active time included, comes before the idle that ends the turn.
  session.setStatus('idle');
  session.emit({ type: 'session.usage', usage: usageSnapshot(session.tally, session.activeMs()), budget: session.budget });
  session.setStatus('idle', { stop_reason: reason === 'requires_action' ? { type: 'requires_action', event_ids: [...session.pending.keys()] } : { type: reason }, stop_details: null });
}
