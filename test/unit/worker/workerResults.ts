import type { TokenUsage } from '../../../src/core/llm/cost';
import type { TicketWorkerResult } from '../../../src/core/worker/runTicketWorker';

export const USAGE: TokenUsage = { inputTokens: 1234, outputTokens: 56, cacheWrite5mTokens: 1000, cacheWrite1hTokens: 24, cacheReadTokens: 4096 };

export function resultOf(status: TicketWorkerResult['status'], overrides: Partial<TicketWorkerResult> = {}): TicketWorkerResult {
  return {
    status,
    reason: status === 'done' ? 'Added the comma.' : status === 'cancelled' ? 'cancelled while waiting for the model' : 'turn limit reached (4 turns) without finish',
    summary: null,
    branch: 'flotilla/B1/T1',
    worktree: '/tmp/wt',
    commit: status === 'done' ? '0123456789abcdef0123456789abcdef01234567' : null,
    diffStats: status === 'done' ? [{ path: 'src/greet.ts', added: 1, deleted: 1 }] : [],
    turns: 3,
    usage: USAGE,
    costUsd: 0.04567,
    transcriptFile: '/tmp/t.jsonl',
    ...overrides,
  };
}
