import { ExecutableNotFoundError, runProcess, type ProcessResult, type ProcessRunner } from '../process/processRunner';
import { GitCancelledError, GitCommandError, GitMissingError, NotAGitRepositoryError } from './gitErrors';
import { GIT_SAFETY_CONFIG, gitEnvironment } from './gitEnvironment';

export interface GitClientOptions {
  readonly runner?: ProcessRunner;
  /** The git executable; a setting may point elsewhere. */
  readonly gitPath?: string;
  /** Base environment; defaults to this process's. Only what git needs is taken from it (gitEnvironment.ts). */
  readonly env?: NodeJS.ProcessEnv;
  /** For pushes: the environment also carries what the user's git credentials need (SSH agent, askpass, proxies). */
  readonly remote?: boolean;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
}

export interface GitCallOptions {
  /** Exit codes that are answers rather than failures (e.g. 1 from `diff --quiet`). */
  readonly okExitCodes?: readonly number[];
  readonly signal?: AbortSignal;
  readonly input?: string;
}

export interface GitOutput {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** Diffs can be large; the cap only stops a runaway. */
const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * Runs git without a shell and turns its failures into typed errors. Every call runs without
 * repository hooks or a file-system monitor and with an environment of what git needs only
 * (gitEnvironment.ts): git works in worktrees whose files a model wrote, and those must not decide
 * what runs. GIT_DIR and the like are never passed on (set when we are started from a git hook, they
 * would redirect every call to another repository).
 */
export class GitClient {
  private readonly runner: ProcessRunner;
  private readonly gitPath: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: GitClientOptions = {}) {
    this.runner = options.runner ?? runProcess;
    this.gitPath = options.gitPath ?? 'git';
    this.env = gitEnvironment(options.env ?? process.env, { remote: options.remote === true });
  }

  async run(cwd: string, args: readonly string[], call: GitCallOptions = {}): Promise<GitOutput> {
    let result: ProcessResult;
    try {
      result = await this.runner(this.gitPath, [...GIT_SAFETY_CONFIG, ...args], {
        cwd,
        env: this.env,
        timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxOutputBytes: this.options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
        signal: call.signal,
        input: call.input,
      });
    } catch (error) {
      if (error instanceof ExecutableNotFoundError) throw new GitMissingError(this.gitPath);
      throw error;
    }
    if (result.aborted) throw new GitCancelledError(args, 'aborted');
    if (result.timedOut) throw new GitCancelledError(args, 'timeout');
    const exitCode = result.exitCode ?? -1;
    if (exitCode === 0 || call.okExitCodes?.includes(exitCode)) {
      return { exitCode, stdout: result.stdout, stderr: result.stderr };
    }
    if (exitCode === 128 && /not a git repository/i.test(result.stderr)) throw new NotAGitRepositoryError(cwd);
    throw new GitCommandError(args, result.exitCode, result.stderr, cwd);
  }

  /** stdout with the trailing newline removed: the common shape for single-value commands. */
  async value(cwd: string, args: readonly string[], call: GitCallOptions = {}): Promise<string> {
    return (await this.run(cwd, args, call)).stdout.replace(/\r?\n$/, '');
  }
}
