import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CappedOutput } from './cappedOutput';
import { childEnvironment } from './childEnvironment';
import { workerProcesses, type WorkerProcessKind } from './workerProcesses';

export interface RunOptions {
  readonly cwd: string;
  /**
   * Replaces the environment entirely when given (the caller vouches for what is in it); defaults to
   * this process's environment without credentials (childEnvironment).
   */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process group after this long; undefined means no limit. */
  readonly timeoutMs?: number;
  /** Cap per stream (stdout, stderr); the middle is dropped beyond it. */
  readonly maxOutputBytes?: number;
  readonly signal?: AbortSignal;
  /** Written to stdin, which is then closed. Without it stdin is closed at once (never inherited). */
  readonly input?: string;
  /**
   * A batch's worker process (a gate, an allow-listed command): recorded while it runs in the
   * process-wide registry, so the batch lock lists it and a resume after a kill can end it.
   */
  readonly worker?: WorkerProcessKind;
}

export interface ProcessResult {
  /** Null when the process was ended by a signal (or never started because the signal was already aborted). */
  readonly exitCode: number | null;
  readonly killedBy: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncated: boolean;
  readonly stderrTruncated: boolean;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

/** How core code starts processes; tests and other hosts may supply their own. */
export type ProcessRunner = (file: string, args: readonly string[], options: RunOptions) => Promise<ProcessResult>;

/** The executable could not be found on PATH (ENOENT at spawn). */
export class ExecutableNotFoundError extends Error {
  constructor(readonly file: string) {
    super(`executable not found: ${file}`);
    this.name = 'ExecutableNotFoundError';
  }
}

/** The process could not be started for another reason (permissions, bad cwd, …). */
export class ProcessStartError extends Error {
  constructor(readonly file: string, readonly code: string | undefined, message: string) {
    super(`could not start ${file}: ${message}`);
    this.name = 'ProcessStartError';
  }
}

export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** Between SIGTERM and SIGKILL: long enough for a test runner to clean up, short enough for a cancel. */
const KILL_GRACE_MS = 2000;

/**
 * Runs `file args` without a shell. The child leads its own process group, and that whole group is
 * killed on timeout, on abort and once the child exits, so no grandchild (a test server, a watcher)
 * outlives the call.
 */
export const runProcess: ProcessRunner = (file, args, options) => {
  if (options.signal?.aborted) return Promise.resolve(abortedBeforeStart());
  return new Promise<ProcessResult>((resolve, reject) => {
    const cap = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    const stdout = new CappedOutput(cap);
    const stderr = new CappedOutput(cap);
    let timedOut = false;
    let aborted = false;
    let graceTimer: NodeJS.Timeout | undefined;

    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env ?? childEnvironment(),
      shell: false,
      detached: process.platform !== 'win32',
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });

    const forget = options.worker !== undefined && child.pid !== undefined ? workerProcesses.started(options.worker, child.pid) : undefined;

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill(signal);
        else process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone, which is the goal.
      }
    };
    const terminate = (): void => {
      killGroup('SIGTERM');
      graceTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };

    const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      terminate();
    }, options.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const cleanup = (): void => {
      if (timeout) clearTimeout(timeout);
      if (graceTimer) clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };

    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined); // EPIPE when the child does not read its input
      child.stdin.end(options.input);
    }

    child.on('error', (error: NodeJS.ErrnoException) => {
      cleanup();
      forget?.();
      // Node reports a missing cwd as ENOENT too; only a missing executable is "not found".
      if (error.code === 'ENOENT' && !existsSync(options.cwd)) reject(new ProcessStartError(file, error.code, `folder does not exist: ${options.cwd}`));
      else if (error.code === 'ENOENT') reject(new ExecutableNotFoundError(file));
      else reject(new ProcessStartError(file, error.code, error.message));
    });
    // Once the leader exits, whatever it left running in its group goes too; that also closes the
    // pipes those leftovers hold, so 'close' below can fire.
    child.on('exit', () => killGroup('SIGKILL'));
    child.on('close', (code, signal) => {
      cleanup();
      forget?.();
      resolve({
        exitCode: code,
        killedBy: signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        timedOut,
        aborted,
      });
    });
  });
};

function abortedBeforeStart(): ProcessResult {
  return {
    exitCode: null,
    killedBy: null,
    stdout: '',
    stderr: '',
    stdoutTruncated: false,
    stderrTruncated: false,
    timedOut: false,
    aborted: true,
  };
}
