import type { GitClient } from '../../git/gitClient';
import type { ProcessRunner } from '../../process/processRunner';
import type { SandboxPolicy } from '../../process/sandbox';

/** What every tool call runs against: one ticket's worktree and the limits the user configured. */
export interface ToolContext {
  /** The ticket's worktree; every path the model sends is confined to it. */
  readonly root: string;
  /** `flotilla.commands.allow`: argv prefixes run_command accepts, e.g. "npm test". */
  readonly allowCommands: readonly string[];
  readonly commandTimeoutMs: number;
  readonly maxReadBytes: number;
  readonly maxWriteBytes: number;
  /** Cap on what a tool returns to the model (command output per stream, search results). */
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal;
  /** How run_command (and Claude Code's Bash) is confined; default: sandboxed, no network. */
  readonly sandbox?: SandboxPolicy;
  /** Replaces the sandboxed runner (tests); default: sandboxedRunner(sandbox). */
  readonly runner?: ProcessRunner;
  /** Used by search_text to honour .gitignore; defaults to a plain GitClient. */
  readonly git?: GitClient;
  /** Environment for run_command; defaults to this process's minus API keys. */
  readonly env?: NodeJS.ProcessEnv;
  /** The repository's core.hooksPath (configuredHooksPath), whose folder no write may reach (writeConfinement.ts). */
  readonly hooksPath?: string | null;
}

export interface ToolResult {
  readonly content: string;
  readonly isError: boolean;
  /** Set only by `finish`: the agent loop stops and keeps the summary. */
  readonly finished?: { readonly summary: string };
}

/**
 * A mistake the model can correct (a missing file, an ambiguous edit, a refused command). Tools
 * throw it; executeTool turns it into `isError: true` so the conversation carries on.
 */
export class ToolFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolFailure';
  }
}

export function ok(content: string): ToolResult {
  return { content, isError: false };
}
