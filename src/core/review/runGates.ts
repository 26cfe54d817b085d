import { ExecutableNotFoundError, ProcessStartError, type ProcessResult } from '../process/processRunner';
import { sandboxedRunner, SandboxUnavailableError } from '../process/sandbox';
import { splitCommandLine } from '../worker/tools/commandLine';
import { commandEnvironment } from '../worker/tools/runCommandTool';
import { ToolFailure } from '../worker/tools/toolTypes';
import type { GateCommands, GateOptions, GateResult, GatesOutcome } from './gateTypes';
import { firstLevelOf, GATE_NAMES, includesGate, type GateName, type ReviewLevel } from './reviewLevels';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_TAIL_BYTES = 16 * 1024;

/**
 * Runs the configured build / lint / test commands for a review level in the ticket's worktree.
 * Independent commands run at once; with `sequentialTests` the tests wait for a passing build. A
 * gate the level does not include, or one with no command configured, is skipped with a reason —
 * a project without a lint script is not a failing ticket.
 */
export async function runGates(level: ReviewLevel, commands: GateCommands, worktree: string, options: GateOptions = {}): Promise<GatesOutcome> {
  const run = (name: GateName) => runGate(name, level, commands[name], worktree, options);
  if (!options.sequentialTests) return outcome(await Promise.all(GATE_NAMES.map(run)));
  const build = run('build');
  const lint = run('lint');
  const test = build.then((result) => {
    const wouldRun = includesGate(level, 'test') && Boolean(commands.test?.trim());
    if (!wouldRun || result.status === 'pass' || result.status === 'skipped') return run('test');
    return skipped('test', commands.test?.trim() ?? null, `not run: the build ${result.status === 'timeout' ? 'timed out' : result.status === 'cancelled' ? 'was cancelled' : 'failed'}`);
  });
  return outcome(await Promise.all([build, lint, test]));
}

function outcome(gates: GateResult[]): GatesOutcome {
  const failed = gates.some((g) => g.status === 'fail' || g.status === 'timeout' || g.status === 'cancelled');
  return { gates, verdict: failed ? 'FAIL' : 'PASS' };
}

async function runGate(name: GateName, level: ReviewLevel, command: string | undefined, worktree: string, options: GateOptions): Promise<GateResult> {
  const configured = command?.trim() ? command.trim() : null;
  if (!includesGate(level, name)) return skipped(name, configured, `not part of a ${level} review (from ${firstLevelOf(name)} up)`);
  if (configured === null) return skipped(name, null, `no ${name} command configured`);

  let argv: string[];
  try {
    argv = splitCommandLine(configured);
  } catch (error) {
    if (!(error instanceof ToolFailure)) throw error;
    return { name, command: configured, status: 'fail', exitCode: null, durationMs: 0, output: '', reason: `the command cannot run without a shell: ${error.message}` };
  }
  const [file, ...args] = argv;
  if (file === undefined) return skipped(name, null, `no ${name} command configured`);

  const clock = options.clock ?? Date.now;
  const tailBytes = options.outputTailBytes ?? DEFAULT_TAIL_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = clock();
  let result: ProcessResult;
  try {
    // The gate runs the project's tests on code the model wrote: in the sandbox (process/sandbox.ts).
    result = await (options.runner ?? sandboxedRunner(options.sandbox))(file, args, {
      cwd: worktree,
      env: options.env ?? commandEnvironment(),
      timeoutMs,
      // Twice the tail per stream: the runner keeps head and tail halves, and only the tail is used.
      maxOutputBytes: tailBytes * 2,
      signal: options.signal,
      worker: 'gate',
    });
  } catch (error) {
    if (!(error instanceof ExecutableNotFoundError || error instanceof ProcessStartError || SandboxUnavailableError.is(error))) throw error;
    return { name, command: configured, status: 'fail', exitCode: null, durationMs: clock() - started, output: '', reason: error.message };
  }
  const durationMs = Math.max(0, clock() - started);
  const output = tail(combinedOutput(result), tailBytes);
  if (result.aborted) return { name, command: configured, status: 'cancelled', exitCode: null, durationMs, output, reason: 'cancelled' };
  if (result.timedOut) {
    return { name, command: configured, status: 'timeout', exitCode: null, durationMs, output, reason: `stopped after the ${timeoutMs} ms time limit` };
  }
  const passed = result.exitCode === 0;
  return {
    name,
    command: configured,
    status: passed ? 'pass' : 'fail',
    exitCode: result.exitCode,
    durationMs,
    output,
    ...(passed ? {} : { reason: result.exitCode === null ? `killed by ${result.killedBy ?? 'a signal'}` : `exit code ${result.exitCode}` }),
  };
}

function skipped(name: GateName, command: string | null, reason: string): GateResult {
  return { name, command, status: 'skipped', exitCode: null, durationMs: 0, output: '', reason };
}

function combinedOutput(result: ProcessResult): string {
  const out = result.stdout.trimEnd();
  const err = result.stderr.trimEnd();
  if (out && err) return `${out}\n--- stderr ---\n${err}`;
  return out || err;
}

/** The last `maxBytes` bytes of the text, marked when cut; a split UTF-8 character at the cut is dropped. */
export function tail(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let cut = bytes.length - maxBytes;
  while (cut < bytes.length && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut++;
  return `[… ${cut} earlier bytes omitted …]\n${bytes.subarray(cut).toString('utf8')}`;
}
