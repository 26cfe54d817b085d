import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { childEnvironment } from './childEnvironment';
import { withPrivateHome } from './privateHome';
import { ExecutableNotFoundError, ProcessStartError, runProcess, type ProcessRunner } from './processRunner';
import { sandboxEnvironment } from './sandboxEnvironment';
import { sandboxLayout, type SandboxRequest } from './sandboxLayout';
import { bwrapArguments } from './sandboxProfile';
import { defaultBwrapPath, sandboxAvailability } from './sandboxProbe';

/** How code the model wrote is run: the settings `flotilla.sandbox.*` and what Flotilla hides. */
export interface SandboxPolicy {
  /** `flotilla.sandbox.allowNetwork`: gates and commands share the host's network. */
  readonly allowNetwork: boolean;
  /** `flotilla.sandbox.allowUnsandboxed`: where no sandbox can be built, run without one instead of refusing. */
  readonly allowUnsandboxed: boolean;
  /** Flotilla's storage folders (other tickets' worktrees, transcripts, the ledger): hidden inside. */
  readonly hidden?: readonly string[];
  /** bubblewrap's path; default: `bwrap` on PATH, else /usr/bin/bwrap. */
  readonly bwrapPath?: string;
}

export const DEFAULT_SANDBOX_POLICY: SandboxPolicy = { allowNetwork: false, allowUnsandboxed: false };

/** No sandbox can be built here and the settings do not allow running without one. */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';

  constructor(readonly reason: string) {
    super(unavailableText(reason));
  }

  static is(error: unknown): error is SandboxUnavailableError {
    return error instanceof Error && error.name === 'SandboxUnavailableError';
  }
}

/** The refusal in words both front ends can act on: why, how to install bubblewrap, the setting. */
export function unavailableText(reason: string): string {
  return (
    `Model-written code (gates, allowed commands) runs only in a sandbox, and none is available: ${reason}. ` +
    'Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap), or allow running without a sandbox ' +
    'with the setting flotilla.sandbox.allowUnsandboxed (CLI: FLOTILLA_ALLOW_UNSANDBOXED=1).'
  );
}

export interface Launch {
  readonly file: string;
  readonly args: string[];
  readonly env: Record<string, string>;
}

/** How a run is confined: in a sandbox, without one (allowed, with the reason there is none), or not at all. */
export type Confinement =
  | { readonly kind: 'sandbox'; readonly launch: (file: string, args: readonly string[], env: NodeJS.ProcessEnv, extraEnv?: Readonly<Record<string, string>>) => Launch }
  | { readonly kind: 'unsandboxed'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string };

/** Decides how a run in `request.cwd` is confined under `policy`, and lays out its sandbox. */
export async function confine(request: Omit<SandboxRequest, 'hidden'>, policy: SandboxPolicy): Promise<Confinement> {
  const availability = await sandboxAvailability(policy.bwrapPath ?? defaultBwrapPath());
  if (!availability.available) return { kind: policy.allowUnsandboxed ? 'unsandboxed' : 'refused', reason: availability.reason };
  const { profile, home } = sandboxLayout({ ...request, hidden: policy.hidden ?? [] });
  const options = bwrapArguments(profile);
  return {
    kind: 'sandbox',
    launch: (file, args, env, extraEnv) => ({ file: availability.bwrap, args: [...options, '--', file, ...args], env: sandboxEnvironment(env, { home, extra: extraEnv }) }),
  };
}

/**
 * A ProcessRunner for code the model wrote (gates, run_command): each command runs under
 * bubblewrap in its working folder (sandboxProfile.ts says what it can reach), or — where there is
 * no sandbox and the policy allows it — as before, with a private HOME and TMPDIR; otherwise it
 * throws SandboxUnavailableError. Cancel, timeouts and the output cap are `base`'s, unchanged.
 */
export function sandboxedRunner(policy: SandboxPolicy = DEFAULT_SANDBOX_POLICY, base: ProcessRunner = runProcess): ProcessRunner {
  return async (file, args, options) => {
    const env = options.env ?? childEnvironment();
    if (!existsFolder(options.cwd)) throw new ProcessStartError(file, 'ENOENT', `folder does not exist: ${options.cwd}`);
    const executable = findExecutable(file, options.cwd, env.PATH);
    if (executable === undefined) throw new ExecutableNotFoundError(file);
    const confinement = await confine({ cwd: options.cwd, env, network: policy.allowNetwork, readable: [dirname(executable)] }, policy);
    if (confinement.kind === 'refused') throw new SandboxUnavailableError(confinement.reason);
    if (confinement.kind === 'unsandboxed') return withPrivateHome(env, (privateEnv) => base(file, args, { ...options, env: privateEnv }));
    // The name as given (bubblewrap finds it on the same PATH): argv[0] stays what the command line said.
    const launch = confinement.launch(file, args, env);
    return base(launch.file, launch.args, { ...options, env: launch.env });
  };
}

/** What the system would run for `file`: a path (relative to `cwd`) or the first match on PATH. */
function findExecutable(file: string, cwd: string, path: string | undefined): string | undefined {
  const candidates = file.includes('/') ? [resolve(cwd, file)] : (path ?? '').split(delimiter).filter((dir) => isAbsolute(dir)).map((dir) => join(dir, file));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

function existsFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The policy of a batch: the two settings, and the storage folders to hide. */
export function sandboxPolicyFrom(settings: { readonly 'sandbox.allowNetwork': boolean; readonly 'sandbox.allowUnsandboxed': boolean }, hidden: readonly string[]): SandboxPolicy {
  return { allowNetwork: settings['sandbox.allowNetwork'], allowUnsandboxed: settings['sandbox.allowUnsandboxed'], hidden };
}
