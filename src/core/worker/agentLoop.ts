import type { ContentBlockParam, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { MAX_TOKENS_PER_TURN } from '../llm/requestEstimate';
import type { CallMeta, LlmClient } from '../llm/llmClient';
import { CallCancelledError, LlmError } from '../llm/llmErrors';
import { ZERO_USAGE, type TokenUsage } from '../llm/cost';
import { buildWorkerRequest, type SharedBatchContext, type WorkerTicket } from './promptLayout';
import { executeTool } from './tools/executeTool';
import { toolSummary } from './toolSummary';
import type { ToolContext } from './tools/toolTypes';
import type { Transcript } from './transcript';
import type { WorkerEventListener } from './workerEvents';
import { formatUsd } from '../vocabulary/amounts';
import { formatUsdLimit } from '../usdAmount';

export interface WorkerLimits {
  readonly maxTurns: number;
  /** Output tokens over the whole run. */
  readonly maxOutputTokens: number;
  /** Cost over the whole run; null for a model without a price (then only the token limits apply). */
  readonly maxCostUsd: number;
  /** max_tokens of each request. */
  readonly maxTokensPerTurn: number;
}

export const DEFAULT_WORKER_LIMITS: WorkerLimits = { maxTurns: 40, maxOutputTokens: 60_000, maxCostUsd: 2, maxTokensPerTurn: MAX_TOKENS_PER_TURN };

export interface AgentLoopOptions {
  readonly client: Pick<LlmClient, 'call'>;
  readonly model: string;
  readonly meta: CallMeta;
  readonly shared: SharedBatchContext;
  readonly ticket: WorkerTicket;
  readonly tools: ToolContext;
  readonly limits: WorkerLimits;
  readonly transcript: Transcript;
  readonly signal?: AbortSignal;
  readonly onEvent?: WorkerEventListener;
}

export interface AgentLoopResult {
  readonly status: 'finished' | 'failed' | 'cancelled';
  readonly reason: string;
  readonly summary: string | null;
  readonly turns: number;
  readonly usage: TokenUsage;
  /** null when some call had no known price. */
  readonly costUsd: number | null;
  /** The model layer's typed error when a call failed (after the client's own retries). */
  readonly modelError?: LlmError;
}

const CUT_REPLY = 'Your reply was cut off at its max_tokens limit and no tool call came through. Continue in smaller steps: edit_file on part of a file rather than write_file of the whole file.';

/** A model that answers this many times in a row without a tool call has stalled. */
const MAX_IDLE_TURNS = 2;
/** The same call this many times in a row is a loop; the model is told so. */
const REPEAT_WARNING_AFTER = 3;

/**
 * The worker's conversation: call the model, run the tools it asks for, feed the results back, until
 * it calls `finish`, a limit is reached, or the run is cancelled. Model mistakes come back to the model
 * as tool errors; only limits, cancellation and errors of the model layer end the run early.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentLoopResult> {
  const { limits, transcript, onEvent } = options;
  const conversation: MessageParam[] = [];
  let usage: TokenUsage = { ...ZERO_USAGE };
  let costUsd: number | null = 0;
  let idleTurns = 0;
  let lastCall = '';
  let repeats = 0;
  let turn = 0;

  const end = async (status: AgentLoopResult['status'], reason: string, summary: string | null = null, modelError?: LlmError): Promise<AgentLoopResult> => {
    await transcript.write({ kind: 'end', status, reason, turns: turn, costUsd });
    return { status, reason, summary, turns: turn, usage, costUsd, ...(modelError ? { modelError } : {}) };
  };

  while (turn < limits.maxTurns) {
    turn += 1;
    if (options.signal?.aborted) return end('cancelled', 'cancelled before turn ' + turn);
    const request = buildWorkerRequest({ model: options.model, maxTokens: limits.maxTokensPerTurn, shared: options.shared, ticket: options.ticket, conversation });
    await transcript.write({ kind: 'request', turn, model: options.model, maxTokens: limits.maxTokensPerTurn, messages: turn === 1 ? request.messages : conversation.slice(-1) });
    onEvent?.({ kind: 'turn', turn, model: options.model });

    let response;
    try {
      response = await options.client.call(request, options.meta, { signal: options.signal, onText: (delta) => onEvent?.({ kind: 'text', delta }) });
    } catch (error) {
      if (error instanceof CallCancelledError || options.signal?.aborted) return end('cancelled', 'cancelled while waiting for the model');
      if (error instanceof LlmError) return end('failed', `model call failed: ${error.message}`, null, error);
      throw error;
    }
    usage = addUsage(usage, response.usage);
    costUsd = costUsd === null || response.costUsd === null ? null : costUsd + response.costUsd;
    await transcript.write({ kind: 'response', turn, requestId: response.requestId, stopReason: response.stopReason, content: response.content, usage: response.usage, costUsd: response.costUsd });
    onEvent?.({ kind: 'usage', turn, usage: response.usage, costUsd: response.costUsd, totalCostUsd: costUsd, totalOutputTokens: usage.outputTokens });
    conversation.push({ role: 'assistant', content: response.content as ContentBlockParam[] });

    if (response.toolUses.length === 0) {
      idleTurns += 1;
      if (idleTurns >= MAX_IDLE_TURNS) return end('failed', `the model stopped ${idleTurns} times without using a tool or calling finish`);
      // A reply cut at max_tokens (sized down to what a hard budget left) lost its tool call: say so.
      const cut = response.stopReason === 'max_tokens';
      conversation.push({ role: 'user', content: cut ? CUT_REPLY : 'Continue with the tools. When the ticket is done, call finish with a summary.' });
    } else {
      idleTurns = 0;
      const results: ToolResultBlockParam[] = [];
      let finished: string | null = null;
      for (const use of response.toolUses) {
        const signature = `${use.name}:${JSON.stringify(use.input)}`;
        repeats = signature === lastCall ? repeats + 1 : 1;
        lastCall = signature;
        await transcript.write({ kind: 'tool_call', turn, id: use.id, name: use.name, input: use.input });
        onEvent?.({ kind: 'tool', turn, name: use.name, summary: toolSummary(use.input, ['path', 'command', 'pattern', 'summary'], options.tools.root) });
        const result = await executeTool(use.name, use.input, { ...options.tools, signal: options.signal });
        const content = repeats >= REPEAT_WARNING_AFTER ? `${result.content}\n\nNote: you have made this exact call ${repeats} times in a row. Try a different approach.` : result.content;
        await transcript.write({ kind: 'tool_result', turn, id: use.id, isError: result.isError, content });
        onEvent?.({ kind: 'tool_result', turn, name: use.name, isError: result.isError, preview: content.slice(0, 160) });
        results.push({ type: 'tool_result', tool_use_id: use.id, content, is_error: result.isError });
        if (result.finished) finished = result.finished.summary;
      }
      if (finished !== null) return end('finished', 'the worker called finish', finished);
      conversation.push({ role: 'user', content: results });
    }

    if (options.signal?.aborted) return end('cancelled', 'cancelled');
    if (usage.outputTokens >= limits.maxOutputTokens) return end('failed', `output token limit reached (${usage.outputTokens} ≥ ${limits.maxOutputTokens})`);
    if (costUsd !== null && costUsd >= limits.maxCostUsd) return end('failed', `cost limit reached (${formatUsd(costUsd)} ≥ ${formatUsdLimit(limits.maxCostUsd)})`);
  }
  return end('failed', `turn limit reached (${limits.maxTurns} turns) without finish`);
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWrite5mTokens: a.cacheWrite5mTokens + b.cacheWrite5mTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

