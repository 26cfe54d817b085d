import { childEnvironment } from '../../process/childEnvironment';
import { ExecutableNotFoundError, type ProcessResult } from '../../process/processRunner';
import { sandboxedRunner, SandboxUnavailableError } from '../../process/sandbox';
import { admitArguments, matchAllowlist } from './commandAdmission';
import { splitCommandLine } from './commandLine';
import type { ToolInput } from './toolSchemas';
import { ToolFailure, type ToolContext, type ToolResult } from './toolTypes';

/** Never handed to commands the model runs: a test script has no business with the user's API key. */
export function commandEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return childEnvironment(base);
}

/**
 * The argv of a command line a worker may run, or a ToolFailure saying why not: no shell syntax, an
 * allowed prefix (flotilla.commands.allow), and nothing after it that reaches outside `root`
 * (commandAdmission.ts). The one admission rule for run_command and any other engine's shell tool.
 */
export async function admitCommand(command: string, allowCommands: readonly string[], root: string): Promise<string[]> {
  const argv = splitCommandLine(command);
  if (argv.length === 0) throw new ToolFailure('The command is empty.');
  if (allowCommands.length === 0) {
    throw new ToolFailure('No commands may be run in this repository (the flotilla.commands.allow setting is empty). Finish without running commands.');
  }
  if (!matchAllowlist(argv, allowCommands)) {
    throw new ToolFailure(
      `"${command}" is not allowed. Allowed commands (file arguments inside the worktree may follow; options only where an entry ends in " *"): ${allowCommands.map((c) => `"${c}"`).join(', ')}.`,
    );
  }
  await admitArguments(argv, allowCommands, root);
  return argv;
}

export async function runCommandTool(input: ToolInput<'run_command'>, ctx: ToolContext): Promise<ToolResult> {
  const [file, ...args] = (await admitCommand(input.command, ctx.allowCommands, ctx.root)) as [string, ...string[]];

  let result: ProcessResult;
  try {
    // Code the model wrote (its tests, its scripts) runs in the sandbox (process/sandbox.ts).
    result = await (ctx.runner ?? sandboxedRunner(ctx.sandbox))(file, args, {
      cwd: ctx.root,
      env: ctx.env ?? commandEnvironment(),
      timeoutMs: ctx.commandTimeoutMs,
      maxOutputBytes: ctx.maxOutputBytes,
      signal: ctx.signal,
      worker: 'command',
    });
  } catch (error) {
    if (error instanceof ExecutableNotFoundError) throw new ToolFailure(`"${file}" was not found on this machine, so the command could not run.`);
    if (SandboxUnavailableError.is(error)) throw new ToolFailure(`The command was not run. ${error.message}`);
    throw error;
  }

  const output = formatOutput(result);
  if (result.timedOut) {
    return { isError: true, content: `The command was stopped after the ${ctx.commandTimeoutMs} ms time limit (it and every process it started were killed).\n${output}` };
  }
  if (result.aborted) return { isError: true, content: `The command was cancelled.\n${output}` };
  const status = result.exitCode === null ? `killed by ${result.killedBy ?? 'a signal'}` : `exit code ${result.exitCode}`;
  return { isError: result.exitCode !== 0, content: `${status}\n${output}` };
}

function formatOutput(result: ProcessResult): string {
  const parts: string[] = [];
  if (result.stdout) parts.push(`--- stdout${result.stdoutTruncated ? ' (middle omitted)' : ''} ---\n${result.stdout.trimEnd()}`);
  if (result.stderr) parts.push(`--- stderr${result.stderrTruncated ? ' (middle omitted)' : ''} ---\n${result.stderr.trimEnd()}`);
  return parts.length > 0 ? parts.join('\n') : '(no output)';
}
