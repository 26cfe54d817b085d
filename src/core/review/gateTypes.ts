import type { ProcessRunner } from '../process/processRunner';
import type { SandboxPolicy } from '../process/sandbox';
import type { GateName } from './reviewLevels';

export type GateStatus = 'pass' | 'fail' | 'timeout' | 'cancelled' | 'skipped';
export type Verdict = 'PASS' | 'FAIL';

/** The configured command lines, e.g. `{ build: 'npm run build', test: 'npm test' }`. */
export interface GateCommands {
  readonly build?: string;
  readonly lint?: string;
  readonly test?: string;
}

export interface GateResult {
  readonly name: GateName;
  /** The command line as configured; null when none was. */
  readonly command: string | null;
  readonly status: GateStatus;
  /** Null when the command did not finish by itself (timeout, cancel, a signal, never started). */
  readonly exitCode: number | null;
  readonly durationMs: number;
  /** The end of stdout + stderr, capped (that is where errors and summaries are). */
  readonly output: string;
  /** Why a gate was skipped or could not run. */
  readonly reason?: string;
}

export interface GatesOutcome {
  readonly gates: readonly GateResult[];
  /** PASS when no gate failed, timed out or was cancelled; skipped gates do not fail a ticket. */
  readonly verdict: Verdict;
}

export interface GateOptions {
  /** Per command; the process group is killed after it. Default 10 minutes. */
  readonly timeoutMs?: number;
  /** Per command, the tail of its output kept in the result. Default 16 KiB. */
  readonly outputTailBytes?: number;
  /**
   * Run tests only after build succeeds, for projects whose tests need the build output. By default
   * all three run at once: each is independent in most projects and a gate round is then as long as
   * its slowest command.
   */
  readonly sequentialTests?: boolean;
  readonly signal?: AbortSignal;
  /** How the gates are confined (settings `flotilla.sandbox.*`, storage hidden); default: sandboxed, no network. */
  readonly sandbox?: SandboxPolicy;
  /** Replaces the sandboxed runner (tests of the review logic); default: sandboxedRunner(sandbox). */
  readonly runner?: ProcessRunner;
  /** Defaults to this process's environment without API keys and tokens. */
  readonly env?: NodeJS.ProcessEnv;
  readonly clock?: () => number;
}
