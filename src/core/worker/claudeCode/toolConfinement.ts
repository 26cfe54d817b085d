import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { errorMessage } from '../../errorText';
import { confinePath, PathRefusedError } from '../pathConfinement';
import { admitCommand } from '../tools/runCommandTool';
import { ToolFailure } from '../tools/toolTypes';
import { confineWritePath } from '../writeConfinement';

export interface ConfinementContext {
  /** The ticket's worktree (Claude Code's cwd). */
  readonly root: string;
  /** `flotilla.commands.allow`, the same rule as the built-in run_command. */
  readonly allowCommands: readonly string[];
  /** `flotilla.worker.allowWebTools`. */
  readonly allowWebTools: boolean;
  /** The repository's core.hooksPath, a folder no write may reach (writeConfinement.ts). */
  readonly hooksPath?: string | null;
  /** Set when no sandbox can hold Claude Code and running without one is not allowed: why Bash may run nothing. */
  readonly commandsRefused?: string;
}

/** Claude Code's file tools and the input fields that name a path. */
const PATH_FIELDS: Readonly<Record<string, readonly string[]>> = {
  Read: ['file_path'],
  Write: ['file_path'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  NotebookEdit: ['notebook_path'],
  Glob: ['path'],
  Grep: ['path'],
  LS: ['path'],
};

/** The tools that write the file they name: they also may not write executable configuration. */
const WRITING = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/** Fields that hold a glob pattern, which must stay relative and must not climb out with `..`. */
const PATTERN_FIELDS: Readonly<Record<string, readonly string[]>> = { Glob: ['pattern'], Grep: ['glob'] };

/** Tools that touch neither files nor processes nor the network. */
const HARMLESS = new Set(['TodoWrite', 'Skill', 'ToolSearch']);
const WEB = new Set(['WebFetch', 'WebSearch']);

/** The built-in tools a Flotilla worker may use (Claude Code's `tools` option); everything else is not offered. */
export function workerToolNames(allowWebTools: boolean): string[] {
  return ['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Glob', 'Grep', 'LS', 'Bash', 'TodoWrite', 'Skill', ...(allowWebTools ? [...WEB] : [])];
}

/** Tools that would leave the ticket's folder or need a person; refused even if a setting offers them. */
export const ESCAPING_TOOLS = ['Agent', 'Task', 'EnterWorktree', 'ExitWorktree', 'AskUserQuestion', 'CronCreate', 'ScheduleWakeup', 'SendMessage', 'Workflow', 'Monitor'];

/**
 * Decides one Claude Code tool call: undefined to let it run, or the reason it may not, which Claude
 * Code hands back to the model as the tool's error. File tools stay inside the worktree (relative or
 * absolute paths, `..`, symbolic links and `.git` all checked by the built-in engine's pathConfinement;
 * writes to `.claude/`, `.mcp.json` and git hooks refused by its writeConfinement),
 * Bash runs only what `flotilla.commands.allow` admits and only in the foreground, web tools only when
 * allowed; MCP tools come from the user's own configuration and pass; anything else is refused.
 */
export async function checkToolCall(name: string, input: Readonly<Record<string, unknown>>, ctx: ConfinementContext): Promise<string | undefined> {
  try {
    if (name === 'Bash') return await checkBash(input, ctx);
    if (WEB.has(name)) return ctx.allowWebTools ? undefined : `${name} is off for Flotilla workers (the flotilla.worker.allowWebTools setting). Work with the files in the repository.`;
    if (HARMLESS.has(name) || name.startsWith('mcp__')) return undefined;
    const paths = PATH_FIELDS[name];
    if (!paths) return `${name} is not available to a Flotilla worker: it would leave the ticket's worktree or needs a person. Use Read, Edit, Write, Glob, Grep and the allowed commands.`;
    for (const field of PATTERN_FIELDS[name] ?? []) {
      const pattern = input[field];
      if (typeof pattern === 'string' && (isAbsolute(pattern) || pattern.startsWith('~') || pattern.split(/[\\/]/).includes('..'))) {
        return `The ${field} "${pattern}" reaches outside the ticket's worktree; use a pattern relative to it.`;
      }
    }
    for (const field of paths) {
      const value = input[field];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value !== 'string') return `The ${field} must be a path inside the ticket's worktree.`;
      const inside = await insideWorktree(ctx.root, value);
      if (WRITING.has(name)) await confineWritePath(ctx.root, inside, { hooksPath: ctx.hooksPath });
      else await confinePath(ctx.root, inside);
    }
    return undefined;
  } catch (error) {
    if (error instanceof PathRefusedError || error instanceof ToolFailure) return error.message;
    return `The call could not be checked (${errorMessage(error)}), so it was refused.`;
  }
}

async function checkBash(input: Readonly<Record<string, unknown>>, ctx: ConfinementContext): Promise<string | undefined> {
  if (input.run_in_background === true) return 'Commands run in the foreground only in a Flotilla worker (run_in_background is off), so nothing outlives the ticket.';
  if (typeof input.command !== 'string') return 'The command must be a string.';
  if (ctx.commandsRefused !== undefined) return `The command was not run. ${ctx.commandsRefused}`;
  // Claude Code's shell starts in the worktree; arguments are checked against it like run_command's.
  await admitCommand(input.command, ctx.allowCommands, ctx.root);
  return undefined;
}

/** Claude Code hands tools absolute paths; they must lie inside the worktree (or its real location). Returns the path relative to it. */
async function insideWorktree(root: string, requested: string): Promise<string> {
  if (!isAbsolute(requested)) return requested;
  const real = await realpath(root).catch(() => root);
  const candidates = [relative(root, requested), relative(real, requested)];
  const rel = candidates.find((r) => r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
  if (rel === undefined) throw new PathRefusedError(requested, "it is outside the ticket's worktree.");
  return rel === '' ? '.' : rel.split(sep).join('/');
}
