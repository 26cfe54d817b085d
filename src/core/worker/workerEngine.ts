import type { Logger } from '../logger';
import type { UsageMeter } from '../llm/meteringProxy';
import type { Upstream } from '../llm/proxyForward';
import type { WorkerEngineName } from '../llm/usageRecord';
import type { Settings } from '../settings/settingsSchema';
import { ClaudeCodeEngine } from './claudeCode/claudeCodeEngine';
import { findClaudeCode, type ClaudeCodeLocation, type FindClaudeCodeOptions } from './claudeCode/findClaudeCode';
import { runTicketWorker, type TicketWorkerRequest, type TicketWorkerResult } from './runTicketWorker';

/** `flotilla.worker.engine` / `--engine`. */
export type WorkerEngineChoice = Settings['worker.engine'];
export const WORKER_ENGINE_CHOICES: readonly WorkerEngineChoice[] = ['auto', 'claude-code', 'builtin'];

/** One way of turning a ticket into a commit; every engine shares the worktree, commit and transcript code. */
export interface WorkerEngine {
  readonly name: WorkerEngineName;
  /** Why this engine runs the batch, in one line (the confirmation, the CLI, the log). */
  readonly reason: string;
  run(request: TicketWorkerRequest): Promise<TicketWorkerResult>;
  close(): Promise<void>;
}

/** Claude Code was asked for and cannot be run here; the message says what to do instead. */
export class ClaudeCodeNotFoundError extends Error {
  override readonly name = 'ClaudeCodeNotFoundError';
  readonly nextStep = 'Install Claude Code (npm install -g @anthropic-ai/claude-code, or the Claude Code VS Code extension), set flotilla.worker.claudeCodePath, or choose the built-in engine (flotilla.worker.engine: builtin, --engine builtin).';

  constructor(readonly tried: readonly string[]) {
    super(`Claude Code's executable was not found (looked at ${tried.join('; ')}).`);
  }

  static is(error: unknown): error is ClaudeCodeNotFoundError {
    return error instanceof Error && error.name === 'ClaudeCodeNotFoundError';
  }
}

export function builtinEngine(reason: string): WorkerEngine {
  return { name: 'builtin', reason, run: runTicketWorker, close: async () => undefined };
}

/**
 * The worker the pipeline and the VS Code task call: the engine the batch chose, carried on the
 * request, or Flotilla's own agent loop when there is none.
 */
export function runSelectedWorker(request: TicketWorkerRequest): Promise<TicketWorkerResult> {
  return request.engine ? request.engine.run(request) : runTicketWorker(request);
}

/**
 * Which engine runs a batch. `auto` takes Claude Code when the user has it installed and the batch
 * talks to a real API; with the simulated provider it keeps the built-in engine (the simulated model
 * is an offline stand-in — ask for claude-code explicitly to run Claude Code against it).
 */
export function chooseEngine(choice: WorkerEngineChoice, found: ClaudeCodeLocation | undefined, tried: readonly string[], simulated: boolean): { name: WorkerEngineName; reason: string } {
  if (choice === 'builtin') return { name: 'builtin', reason: 'the built-in engine was chosen' };
  if (choice === 'claude-code') {
    if (!found) throw new ClaudeCodeNotFoundError(tried);
    return { name: 'claude-code', reason: `Claude Code was chosen (${found.path}, from ${sourceText(found)})` };
  }
  if (!found) return { name: 'builtin', reason: 'auto: Claude Code was not found, so the built-in engine runs' };
  if (simulated) return { name: 'builtin', reason: 'auto: the simulated model runs the built-in engine (choose claude-code to run Claude Code against it)' };
  return { name: 'claude-code', reason: `auto: Claude Code found (${found.path}, from ${sourceText(found)})` };
}

export interface OpenEngineOptions {
  readonly choice: WorkerEngineChoice;
  readonly settings: Settings;
  readonly simulated: boolean;
  /** Where Claude Code's calls go after the metering proxy, with the real key. */
  readonly upstream: Upstream;
  readonly meter: UsageMeter;
  readonly logger: Logger;
  readonly find?: Partial<FindClaudeCodeOptions>;
}

/** Which engine a batch would run on, for the confirmation before it starts (nothing is started). */
export async function previewWorkerEngine(choice: WorkerEngineChoice, settings: Settings, simulated: boolean): Promise<{ name: WorkerEngineName; reason: string }> {
  if (choice === 'builtin') return chooseEngine('builtin', undefined, [], simulated);
  const { found, tried } = await findClaudeCode({ settingPath: settings['worker.claudeCodePath'], includeSdkPackage: choice === 'claude-code' });
  return chooseEngine(choice, found, tried, simulated);
}

/** Resolves the batch's engine; a Claude Code engine starts its metering proxy on its first run. */
export async function openWorkerEngine(options: OpenEngineOptions): Promise<WorkerEngine> {
  if (options.choice === 'builtin') return builtinEngine(chooseEngine('builtin', undefined, [], options.simulated).reason);
  // The SDK's platform package is a devDependency of Flotilla's own checkout (tests, the demo), not
  // something the user installed: `auto` looks only at the setting, PATH and the VS Code extension,
  // so a checkout's runs do not switch engines; choosing claude-code uses the package too.
  const { found, tried } = await findClaudeCode({ settingPath: options.settings['worker.claudeCodePath'], includeSdkPackage: options.choice === 'claude-code', ...options.find });
  const chosen = chooseEngine(options.choice, found, tried, options.simulated);
  if (chosen.name === 'builtin' || !found) return builtinEngine(chosen.reason);
  return new ClaudeCodeEngine({ executable: found.path, reason: chosen.reason, settings: options.settings, upstream: options.upstream, meter: options.meter, logger: options.logger });
}

function sourceText(found: ClaudeCodeLocation): string {
  switch (found.source) {
    case 'setting':
      return 'flotilla.worker.claudeCodePath';
    case 'sdk-package':
      return "the Agent SDK's platform package";
    case 'path':
      return 'PATH';
    case 'vscode-extension':
      return 'the Claude Code VS Code extension';
  }
}
