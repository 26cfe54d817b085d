import { unavailableText } from '../process/sandbox';
import { defaultBwrapPath, sandboxAvailability } from '../process/sandboxProbe';
import type { Settings } from '../settings/settingsSchema';

/** Whether this machine's gates and allowed commands will run in a sandbox, and if not, what happens instead. */
export type SandboxState =
  | { readonly kind: 'sandboxed' }
  /** No sandbox; flotilla.sandbox.allowUnsandboxed lets them run with the user's rights. */
  | { readonly kind: 'unsandboxed'; readonly reason: string }
  /** No sandbox and running without one is not allowed: gates and commands fail with the reason. */
  | { readonly kind: 'refused'; readonly reason: string };

/** The state for these settings on this machine (the sandbox probe runs once per process). */
export async function sandboxState(settings: Pick<Settings, 'sandbox.allowUnsandboxed'>): Promise<SandboxState> {
  const availability = await sandboxAvailability(defaultBwrapPath());
  if (availability.available) return { kind: 'sandboxed' };
  return { kind: settings['sandbox.allowUnsandboxed'] ? 'unsandboxed' : 'refused', reason: availability.reason };
}

/** How each front end names the switch that allows running without a sandbox. */
const SWITCH = { editor: 'the setting flotilla.sandbox.allowUnsandboxed', terminal: 'FLOTILLA_ALLOW_UNSANDBOXED=1' } as const;

/**
 * One line for the Run Batch confirmation, Plan Batch and the CLI's `plan` and `run` when gates and
 * allowed commands will not run in the sandbox (never widen trust silently); none when they will.
 */
export function sandboxLine(state: SandboxState, frontEnd: keyof typeof SWITCH): string | undefined {
  if (state.kind === 'sandboxed') return undefined;
  if (state.kind === 'unsandboxed') return `Gates and allowed commands run WITHOUT a sandbox, with your user's rights (${state.reason}; allowed by ${SWITCH[frontEnd]}).`;
  return `Gates and allowed commands will not run: there is no sandbox (${state.reason}). Install bubblewrap, or allow running without one with ${SWITCH[frontEnd]}.`;
}

/**
 * Gate commands are configured, no sandbox can be built here, and running without one is not
 * allowed: every ticket would fail its gates after its work was paid for, so the batch does not start.
 */
export class SandboxRequiredError extends Error {
  override readonly name = 'SandboxRequiredError';

  constructor(readonly gates: readonly string[], readonly reason: string) {
    super(`the ${gates.join(', ')} gate${gates.length > 1 ? 's' : ''} cannot run on this machine. ${unavailableText(reason)}`);
  }

  static is(error: unknown): error is SandboxRequiredError {
    return error instanceof Error && error.name === 'SandboxRequiredError';
  }
}

/** Throws SandboxRequiredError before a batch (or a change request) starts when its gates could not run. */
export async function checkGatesCanRun(settings: Pick<Settings, 'sandbox.allowUnsandboxed' | 'gates.build' | 'gates.lint' | 'gates.test'>): Promise<void> {
  const gates = (['build', 'lint', 'test'] as const).filter((name) => settings[`gates.${name}`].trim() !== '');
  if (gates.length === 0) return;
  const state = await sandboxState(settings);
  if (state.kind === 'refused') throw new SandboxRequiredError(gates, state.reason);
}
