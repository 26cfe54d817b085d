import { isSecretVariable } from './childEnvironment';

/**
 * What a sandboxed process inherits from the environment it was given: where programs are, the
 * language and terminal, the user's name, whether it runs in CI. An allow-list, not a deny-list:
 * a variable not named here does not get in (tokens under new names, proxy URLs with passwords,
 * NODE_OPTIONS, the editor's own IPC handles …).
 */
const INHERITED = /^(PATH|LANG|LANGUAGE|LC_[A-Z_]+|TERM|COLORTERM|NO_COLOR|FORCE_COLOR|TZ|CI|USER|LOGNAME|SHELL)$/;

export interface SandboxEnvironmentOptions {
  /** HOME inside the sandbox: an empty tmpfs. */
  readonly home: string;
  /** Variables the caller sets on purpose (Claude Code's proxy URL and batch token), added as they are. */
  readonly extra?: Readonly<Record<string, string>>;
}

/** The whole environment of a sandboxed process: the allowed part of `base`, a private home and /tmp, and `extra`. */
export function sandboxEnvironment(base: NodeJS.ProcessEnv, options: SandboxEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && INHERITED.test(name) && !isSecretVariable(name)) env[name] = value;
  }
  return { ...env, HOME: options.home, TMPDIR: '/tmp', ...options.extra };
}
