import type { SDKMessage, SDKResultMessage } from '@anthropic-ai/claude-agent-sdk';
import { ZERO_USAGE, type TokenUsage } from '../../llm/cost';
import type { UsageRecord } from '../../llm/usageRecord';
import type { Transcript } from '../transcript';
import type { WorkerEventListener } from '../workerEvents';
import { toolSummary } from '../toolSummary';

/**
 * Turns what a Claude Code session streams into the ticket's transcript and the worker events the
 * task terminal and the panel show (turns, tools, text, tokens, $). Token counts come from the
 * metering proxy's records, never from the SDK's messages (those carry message_start usage only).
 */
export class SessionTrace {
  turns = 0;
  totalUsage: TokenUsage = { ...ZERO_USAGE };
  private totalCostUsd: number | null = 0;
  private readonly seenMessages = new Set<string>();
  private readonly toolNames = new Map<string, string>();

  constructor(
    private readonly transcript: Transcript,
    /** Tool lines name paths relative to it. */
    private readonly worktree: string,
    private readonly onEvent?: WorkerEventListener,
  ) {}

  async message(message: SDKMessage): Promise<void> {
    switch (message.type) {
      case 'system':
        if (message.subtype === 'init') {
          await this.transcript.write({ kind: 'engine', turn: this.turns, event: 'init', detail: { claudeCode: message.claude_code_version, model: message.model, tools: message.tools, mcpServers: message.mcp_servers, permissionMode: message.permissionMode } });
        }
        return;
      case 'assistant':
        return this.assistant(message);
      case 'user':
        return this.toolResults(message.message.content);
      default:
        return;
    }
  }

  /** A call the confinement refused: in the transcript, and as a failed tool in the terminal. */
  async denied(name: string, input: unknown, reason: string): Promise<void> {
    await this.transcript.write({ kind: 'denied', turn: this.turns, name, input, reason });
    this.onEvent?.({ kind: 'tool_result', turn: this.turns, name, isError: true, preview: `refused: ${reason}`.slice(0, 160) });
  }

  /** One usage record of this run, as the proxy wrote it to the ledger. */
  usage(record: UsageRecord): void {
    const tokens: TokenUsage = { inputTokens: record.inputTokens, outputTokens: record.outputTokens, cacheWrite5mTokens: record.cacheWrite5mTokens, cacheWrite1hTokens: record.cacheWrite1hTokens, cacheReadTokens: record.cacheReadTokens };
    for (const key of Object.keys(tokens) as (keyof TokenUsage)[]) this.totalUsage[key] += tokens[key];
    this.totalCostUsd = this.totalCostUsd === null || record.costUsd === null ? null : this.totalCostUsd + record.costUsd;
    // Called from the proxy's request handler: a transcript that cannot be written must not fail the call.
    this.transcript.write({ kind: 'engine', turn: this.turns, event: 'usage', detail: { requestId: record.requestId, model: record.model, attempt: record.attempt, ...tokens, costUsd: record.costUsd, ...(record.error ? { error: record.error } : {}) } }).catch(() => undefined);
    this.onEvent?.({ kind: 'usage', turn: this.turns, usage: tokens, costUsd: record.costUsd, totalCostUsd: this.totalCostUsd, totalOutputTokens: this.totalUsage.outputTokens });
  }

  async end(status: string, reason: string, costUsd: number | null, result: SDKResultMessage | undefined): Promise<void> {
    if (result) await this.transcript.write({ kind: 'engine', turn: this.turns, event: 'result', detail: { subtype: result.subtype, isError: result.is_error, turns: result.num_turns, sdkEstimateUsd: result.total_cost_usd } });
    await this.transcript.write({ kind: 'end', status, reason, turns: this.turns, costUsd });
  }

  private async assistant(message: Extract<SDKMessage, { type: 'assistant' }>): Promise<void> {
    const { id, content, model, stop_reason: stopReason } = message.message;
    // Sub-agents are refused, but a message from one would not be a turn of this worker.
    if (message.parent_tool_use_id !== null) return;
    if (!this.seenMessages.has(id)) {
      this.seenMessages.add(id);
      this.turns += 1;
      this.onEvent?.({ kind: 'turn', turn: this.turns, model });
    }
    await this.transcript.write({ kind: 'response', turn: this.turns, requestId: message.request_id ?? null, stopReason, content, usage: null, costUsd: null });
    for (const block of content) {
      if (block.type === 'text') this.onEvent?.({ kind: 'text', delta: block.text });
      if (block.type === 'tool_use') {
        this.toolNames.set(block.id, block.name);
        await this.transcript.write({ kind: 'tool_call', turn: this.turns, id: block.id, name: block.name, input: block.input });
        this.onEvent?.({ kind: 'tool', turn: this.turns, name: block.name, summary: toolSummary(block.input, SUMMARY_KEYS, this.worktree) });
      }
    }
  }

  private async toolResults(content: unknown): Promise<void> {
    if (!Array.isArray(content)) return;
    for (const block of content as unknown[]) {
      if (typeof block !== 'object' || block === null || !('type' in block) || block.type !== 'tool_result') continue;
      const result = block as { tool_use_id?: unknown; content?: unknown; is_error?: unknown };
      const id = typeof result.tool_use_id === 'string' ? result.tool_use_id : '';
      const text = resultText(result.content);
      const isError = result.is_error === true;
      await this.transcript.write({ kind: 'tool_result', turn: this.turns, id, isError, content: text });
      this.onEvent?.({ kind: 'tool_result', turn: this.turns, name: this.toolNames.get(id) ?? 'tool', isError, preview: text.slice(0, 160) });
    }
  }
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b: unknown) => (typeof b === 'object' && b !== null && 'text' in b && typeof b.text === 'string' ? b.text : '')).join('\n');
}

/** Claude Code's tools name their main argument these ways. */
const SUMMARY_KEYS = ['file_path', 'command', 'pattern', 'path', 'notebook_path', 'url'];
