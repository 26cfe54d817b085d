import type { TokenUsage } from '../llm/cost';

/** What a running worker reports, for the live terminal in VS Code and the CLI's progress lines. */
export type WorkerEvent =
  | { kind: 'phase'; message: string }
  | { kind: 'turn'; turn: number; model: string }
  | { kind: 'text'; delta: string }
  | { kind: 'tool'; turn: number; name: string; summary: string }
  | { kind: 'tool_result'; turn: number; name: string; isError: boolean; preview: string }
  | { kind: 'usage'; turn: number; usage: TokenUsage; costUsd: number | null; totalCostUsd: number | null; totalOutputTokens: number };

export type WorkerEventListener = (event: WorkerEvent) => void;
