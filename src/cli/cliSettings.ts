import { sandboxLine, sandboxState } from '../core/session/sandboxNotice';
import { defaultSettings, type Settings } from '../core/settings/settingsSchema';
import type { CliIo } from './cliIo';

/**
 * The CLI's settings: the defaults, with the two sandbox switches from the environment (the CLI has
 * no settings file): FLOTILLA_ALLOW_UNSANDBOXED=1 lets gates and allowed commands run where no
 * sandbox can be built, FLOTILLA_SANDBOX_ALLOW_NETWORK=1 gives them the network.
 */
export function cliSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const settings = defaultSettings();
  settings['sandbox.allowUnsandboxed'] = env.FLOTILLA_ALLOW_UNSANDBOXED === '1';
  settings['sandbox.allowNetwork'] = env.FLOTILLA_SANDBOX_ALLOW_NETWORK === '1';
  return settings;
}

/** Says on stderr, before a batch runs, when its gates and commands will not run in the sandbox. */
export async function warnWithoutSandbox(io: CliIo, settings: Settings): Promise<void> {
  const line = sandboxLine(await sandboxState(settings), 'terminal');
  if (line) io.err(`warning: ${line}`);
}
