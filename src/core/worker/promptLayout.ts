import type { MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { LlmRequest } from '../llm/llmClient';
import { descriptionForModel, type IssueOrigin } from '../tickets/issueText';
import { workerToolDefinitions } from './tools/toolDefinitions';
import { WORKER_SYSTEM_PROMPT } from './workerPrompt';

/**
 * Context shared by every ticket of a batch; identical text for each ticket, so it caches. Both
 * empty (single mode: each ticket alone, the baseline) leaves the shared block out of the request.
 */
export interface SharedBatchContext {
  readonly repoMap: string;
  readonly batchPlan: string;
  /**
   * false lays requests out without cache breakpoints. Not a setting: only the benchmark uses it, to
   * measure what caching saves side by side (bench/README.md).
   */
  readonly cacheBreakpoints?: boolean;
}

/** What one worker is asked to do. */
export interface WorkerTicket {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly acceptance: readonly string[];
  readonly files: readonly string[];
  /** This ticket's part of the shared plan, when there is one. */
  readonly planNotes?: string;
  /** Findings from failed gates or a reviewer, for a fix loop. */
  readonly feedback?: string;
  /** Set when the ticket is a GitHub issue: its text is quoted as an outside author's data. */
  readonly issue?: IssueOrigin;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Lays a worker request out for prompt caching (ARCHITECTURE.md idea 2):
 *   tools + system ▸ shared batch context ▸ ticket ▸ conversation
 * Breakpoints: after the system prompt (caches tools + system), after the shared context (read by
 * tickets 2..N on the same model), after the ticket, and on the newest turn (each turn reads the
 * previous turns). Four, the API's maximum.
 */
export function buildWorkerRequest(options: {
  model: string;
  maxTokens: number;
  shared: SharedBatchContext;
  ticket: WorkerTicket;
  conversation: readonly MessageParam[];
}): LlmRequest {
  const cache = options.shared.cacheBreakpoints === false ? {} : { cache_control: EPHEMERAL };
  const alone = options.shared.repoMap === '' && options.shared.batchPlan === '';
  const opening: MessageParam = {
    role: 'user',
    content: [
      ...(alone ? [] : [{ type: 'text' as const, text: renderSharedContext(options.shared), ...cache }]),
      { type: 'text', text: renderTicket(options.ticket), ...cache },
    ],
  };
  return {
    model: options.model,
    max_tokens: options.maxTokens,
    tools: [...workerToolDefinitions],
    system: [{ type: 'text', text: WORKER_SYSTEM_PROMPT, ...cache }],
    messages: [opening, ...(options.shared.cacheBreakpoints === false ? options.conversation : withTurnBreakpoint(options.conversation))],
  };
}

export function renderSharedContext(shared: SharedBatchContext): string {
  return `<repository_map>\n${shared.repoMap}\n</repository_map>\n\n<batch_plan>\n${shared.batchPlan}\n</batch_plan>`;
}

export function renderTicket(ticket: WorkerTicket): string {
  const parts = [`<ticket id="${ticket.id}">`, `Title: ${ticket.title}`];
  if (ticket.description || ticket.issue) parts.push('', descriptionForModel(ticket.description, ticket.issue));
  if (ticket.acceptance.length) parts.push('', 'Acceptance checks:', ...ticket.acceptance.map((a) => `- ${a}`));
  if (ticket.files.length) parts.push('', `Likely files: ${ticket.files.join(', ')}`);
  if (ticket.planNotes) parts.push('', 'From the batch plan:', ticket.planNotes);
  if (ticket.feedback) parts.push('', 'Your previous attempt did not pass review. Fix these findings:', ticket.feedback);
  parts.push('</ticket>');
  return parts.join('\n');
}

/** Marks the last block of the newest message as a breakpoint; earlier turns stay unmarked. */
function withTurnBreakpoint(conversation: readonly MessageParam[]): MessageParam[] {
  if (conversation.length === 0) return [];
  const last = conversation[conversation.length - 1] as MessageParam;
  const blocks = typeof last.content === 'string' ? [{ type: 'text', text: last.content } as TextBlockParam] : [...last.content];
  const tail = blocks[blocks.length - 1];
  if (tail && tail.type !== 'thinking' && tail.type !== 'redacted_thinking') {
    blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL };
  }
  return [...conversation.slice(0, -1), { ...last, content: blocks } as MessageParam];
}
