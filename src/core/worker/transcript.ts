import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactSecrets } from '../redactSecrets';

export type TranscriptEntry =
  | { kind: 'start'; ticketId: string; model: string; tier: string | null; attempt: number; worktree: string; engine?: string }
  | { kind: 'request'; turn: number; model: string; maxTokens: number; messages: unknown }
  | { kind: 'response'; turn: number; requestId: string | null; stopReason: string | null; content: unknown; usage: unknown; costUsd: number | null }
  | { kind: 'tool_call'; turn: number; id: string; name: string; input: unknown }
  | { kind: 'tool_result'; turn: number; id: string; isError: boolean; content: string }
  | { kind: 'end'; status: string; reason: string; turns: number; costUsd: number | null }
  /** A tool call the confinement refused (Claude Code engine); the model gets `reason` as the tool error. */
  | { kind: 'denied'; turn: number; name: string; input: unknown; reason: string }
  /** Something the engine itself reported (Claude Code's init, its result, a notice). */
  | { kind: 'engine'; turn: number; event: string; detail: unknown };

/**
 * Appends a worker's conversation to `batches/<id>/transcripts/<ticket>.jsonl`, one JSON object a
 * line, as it happens — so a crash keeps everything up to the crash. Requests are logged as the new
 * messages of each turn (the stable prefix is the same every time and is in the first request).
 */
export class Transcript {
  private ready: Promise<unknown> | undefined;

  constructor(readonly file: string, private readonly clock: () => number = Date.now) {}

  async write(entry: TranscriptEntry): Promise<void> {
    this.ready ??= mkdir(dirname(this.file), { recursive: true });
    await this.ready;
    // Tool results and errors are untrusted text (a file the model read, an API error): no key is kept.
    await appendFile(this.file, `${redactSecrets(JSON.stringify({ ts: new Date(this.clock()).toISOString(), ...entry }))}\n`);
  }
}
