import { execFileSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { textTurn, toolUseTurn } from '../responders';
import type { SimulatedTurn } from '../simulatorTypes';
import { workerScript, type WorkerStep } from './demoScripts';

/** Where the Claude Code worker runs: its working directory, as Claude Code tells the model. */
export interface ClaudeCodeStep extends WorkerStep {
  readonly cwd: string;
}

/**
 * The demo tickets' runs in Claude Code's tool names (Read, Write, Edit, Glob, Grep, Bash), translated
 * from the built-in engine's scripts so both engines make the same change: absolute paths, a Read
 * before writing over a file the branch already holds (Claude Code refuses to overwrite an unread
 * file), and the summary as the final answer instead of a finish call.
 */
export function claudeCodeWorkerTurn(step: ClaudeCodeStep): SimulatedTurn {
  const turns = claudeCodeScript(step);
  return turns[Math.min(step.step, turns.length - 1)] as SimulatedTurn;
}

function claudeCodeScript(step: ClaudeCodeStep): SimulatedTurn[] {
  const read = new Set<string>();
  const abs = (path: string) => (isAbsolute(path) ? path : join(step.cwd, path));
  const out: SimulatedTurn[] = [];
  for (const turn of workerScript(step)) {
    const use = turn.content.find((b) => b.type === 'tool_use');
    if (!use || use.type !== 'tool_use') {
      out.push(turn);
      continue;
    }
    const input = (use.input ?? {}) as Record<string, string>;
    const path = input.path ?? '.';
    switch (use.name) {
      case 'read_file':
        read.add(path);
        out.push(toolUseTurn('Read', { file_path: abs(path) }));
        break;
      case 'write_file':
        if (!read.has(path) && trackedAtHead(step.cwd, path)) out.push(toolUseTurn('Read', { file_path: abs(path) }));
        read.add(path);
        out.push(toolUseTurn('Write', { file_path: abs(path), content: input.content ?? '' }));
        break;
      case 'edit_file':
        out.push(toolUseTurn('Edit', { file_path: abs(path), old_string: input.oldText ?? '', new_string: input.newText ?? '' }));
        break;
      case 'run_command':
        out.push(toolUseTurn('Bash', { command: input.command ?? '', description: 'Run the tests' }));
        break;
      case 'list_dir':
        out.push(toolUseTurn('Glob', { pattern: '*' }));
        break;
      case 'search_text':
        out.push(toolUseTurn('Grep', { pattern: input.pattern ?? '' }));
        break;
      case 'finish':
        out.push(textTurn(input.summary ?? 'Done.'));
        break;
      default:
        out.push(turn);
    }
  }
  return out;
}

/** Whether the worktree's branch already holds the file (constant during a run: HEAD moves only at the commit). */
function trackedAtHead(cwd: string, path: string): boolean {
  try {
    execFileSync('git', ['cat-file', '-e', `HEAD:${path}`], { cwd, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
