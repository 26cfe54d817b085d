import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdir, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { HookCallback, Options, SDKMessage, SDKResultMessage, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import { errorMessage } from '../../errorText';
import type { Logger } from '../../logger';
import type { LlmError } from '../../llm/llmErrors';
import type { MeteringProxy } from '../../llm/meteringProxy';
import type { ProxyRunStop } from '../../llm/proxyRun';
import { confine, DEFAULT_SANDBOX_POLICY, unavailableText, type Confinement } from '../../process/sandbox';
import { killProcessTree } from '../../process/processTree';
import { workerProcesses } from '../../process/workerProcesses';
import { renderSharedContext, renderTicket } from '../promptLayout';
import type { TicketWorkerRequest } from '../runTicketWorker';
import type { EngineRunOutcome } from '../ticketRun';
import type { Transcript } from '../transcript';
import { CLAUDE_CODE_WORKER_PROMPT } from '../workerPrompt';
import { loadAgentSdk, type AgentSdkModule } from './agentSdk';
import { claudeCodeEnvironment, claudeCodeOwnVariables } from './claudeCodeEnvironment';
import type { ClaudeCodeRunConfig } from './claudeCodeRunConfig';
import { SessionTrace } from './sessionTrace';
import { checkToolCall, ESCAPING_TOOLS, workerToolNames, type ConfinementContext } from './toolConfinement';

export interface ClaudeCodeSessionOptions {
  readonly request: TicketWorkerRequest;
  readonly worktree: string;
  readonly transcript: Transcript;
  readonly proxy: MeteringProxy;
  readonly executable: string;
  readonly allowWebTools: boolean;
  readonly fastModel: string;
  readonly logger: Logger;
  /** Where Claude Code's configuration comes from for this run (claudeCodeRunConfig.ts). */
  readonly config: ClaudeCodeRunConfig;
  /** The repository's core.hooksPath, which writes must keep out of. */
  readonly hooksPath: string | null;
  readonly loadSdk?: () => Promise<AgentSdkModule>;
}

/**
 * One ticket run by Claude Code: `query()` in the worktree with the tier's model and the same ticket
 * prompt as the built-in engine, the user's settings and the repository's as of the base commit
 * (never the worktree's files), every tool call checked by the confinement (as a PreToolUse hook,
 * which settings' allow rules cannot skip, and as canUseTool), every API request through the
 * metering proxy. Cancel and the ticket timeout kill the process and everything it started at once. Throws BudgetExceededError when the proxy refused a
 * call for the batch's budget, as the built-in loop does.
 */
export async function runClaudeCodeSession(options: ClaudeCodeSessionOptions): Promise<EngineRunOutcome> {
  const { request, transcript } = options;
  const trace = new SessionTrace(transcript, options.worktree, request.onEvent);
  const run = options.proxy.openRun(
    { workspace: request.workspace, batchId: request.batchId, ticketId: request.ticket.id, stage: request.stage, tier: request.tier, engine: 'claude-code' },
    { maxCostUsd: request.limits.maxCostUsd, maxOutputTokens: request.limits.maxOutputTokens },
    (record) => trace.usage(record),
  );
  const env = claudeCodeEnvironment({ baseURL: run.baseURL, token: options.proxy.token, fastModel: options.fastModel, configDir: options.config.configDir, homeDir: options.config.homeDir });
  let sandbox: Confinement;
  try {
    sandbox = await sandboxFor(options, env);
  } catch (error) {
    run.close();
    throw error;
  }
  const abort = new AbortController();
  let child: ClaudeProcess | undefined;
  const stop = () => {
    abort.abort();
    if (child?.pid !== undefined) void killProcessTree(child.pid);
  };
  request.signal?.addEventListener('abort', stop, { once: true });

  const confinement: ConfinementContext = {
    root: options.worktree,
    allowCommands: request.tools.allowCommands,
    allowWebTools: options.allowWebTools,
    hooksPath: options.hooksPath,
    ...(sandbox.kind === 'refused' ? { commandsRefused: unavailableText(sandbox.reason) } : {}),
  };
  const decide = async (name: string, input: Record<string, unknown>): Promise<string | undefined> => {
    const reason = await checkToolCall(name, input, confinement);
    if (reason !== undefined) await trace.denied(name, input, reason);
    return reason;
  };
  const preToolUse: HookCallback = async (input) => {
    if (input.hook_event_name !== 'PreToolUse') return {};
    const reason = await decide(input.tool_name, toRecord(input.tool_input));
    return reason === undefined ? {} : { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } };
  };

  const sdkOptions: Options = {
    cwd: options.worktree,
    model: request.model,
    maxTurns: request.limits.maxTurns,
    permissionMode: 'default',
    // The user's own settings and the repository's at the base commit (hooks, MCP servers, skills):
    // settingSources, settings, mcpServers, strictMcpConfig and plugins, none of them read from the worktree.
    ...options.config.options,
    systemPrompt: { type: 'preset', preset: 'claude_code', append: workerInstructions(options.config.instructions) },
    tools: workerToolNames(options.allowWebTools),
    disallowedTools: ESCAPING_TOOLS,
    hooks: { PreToolUse: [{ hooks: [preToolUse] }] },
    canUseTool: async (name, input) => {
      const reason = await decide(name, input);
      return reason === undefined ? { behavior: 'allow', updatedInput: input } : { behavior: 'deny', message: reason };
    },
    abortController: abort,
    env,
    pathToClaudeCodeExecutable: options.executable,
    persistSession: false,
    spawnClaudeCodeProcess: (spawnOptions: SpawnOptions) => {
      child = spawnGroup(sandbox.kind === 'sandbox' ? sandboxed(sandbox, spawnOptions) : spawnOptions, options.logger);
      return child;
    },
  };

  let result: SDKResultMessage | undefined;
  let failure: unknown;
  if (request.signal?.aborted) abort.abort();
  else {
    const sdk = await (options.loadSdk ?? loadAgentSdk)();
    const session = sdk.query({ prompt: `${renderSharedContext(request.shared)}\n\n${renderTicket(request.ticket)}`, options: sdkOptions });
    try {
      for await (const message of session) {
        await trace.message(message as SDKMessage);
        if (message.type === 'result') {
          result = message;
          break;
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      session.close();
    }
  }
  request.signal?.removeEventListener('abort', stop);
  // Whatever Claude Code left running (a test server, a watcher) goes with it.
  if (child?.pid !== undefined) await killProcessTree(child.pid);
  run.close();

  const outcome = conclude({ result, failure, aborted: abort.signal.aborted, stopReason: run.stop, lastFailure: run.lastFailure, maxTurns: request.limits.maxTurns });
  const finished: EngineRunOutcome = { ...outcome, turns: trace.turns, usage: trace.totalUsage, costUsd: run.costUsd, engine: 'claude-code' };
  await trace.end(finished.status, finished.reason, run.costUsd, result);
  if (run.stop?.kind === 'budget') throw run.stop.error;
  return finished;
}

/** Flotilla's worker instructions, then the repository's CLAUDE.md (Claude Code reads none from the worktree). */
function workerInstructions(projectInstructions: string | undefined): string {
  if (projectInstructions === undefined) return CLAUDE_CODE_WORKER_PROMPT;
  return `${CLAUDE_CODE_WORKER_PROMPT}\n\n# The repository's instructions (its CLAUDE.md at the batch's base commit)\n\n${projectInstructions.trim()}`;
}

type Conclusion = Pick<EngineRunOutcome, 'status' | 'reason' | 'summary' | 'modelError'>;

function conclude(input: {
  result: SDKResultMessage | undefined;
  failure: unknown;
  aborted: boolean;
  stopReason: ProxyRunStop | undefined;
  lastFailure: LlmError | undefined;
  maxTurns: number;
}): Conclusion {
  const { result, stopReason } = input;
  if (stopReason?.kind === 'budget') return { status: 'failed', reason: `stopped by budget: ${stopReason.error.message}`, summary: null };
  if (input.aborted) return { status: 'cancelled', reason: 'cancelled', summary: null };
  if (stopReason?.kind === 'run-limit') return { status: 'failed', reason: stopReason.reason, summary: null };
  const modelError = input.lastFailure ? { modelError: input.lastFailure } : {};
  if (result?.subtype === 'success' && !result.is_error) return { status: 'finished', reason: 'Claude Code finished', summary: result.result.trim() || null };
  if (result?.subtype === 'error_max_turns') return { status: 'failed', reason: `turn limit reached (${input.maxTurns} turns) without finishing`, summary: null };
  if (result?.subtype === 'success') return { status: 'failed', reason: `Claude Code ended with an error: ${result.result.trim()}`, summary: null, ...modelError };
  if (result) return { status: 'failed', reason: `Claude Code ended with ${result.subtype}${result.errors.length ? `: ${result.errors.join('; ')}` : ''}`, summary: null, ...modelError };
  if (input.failure !== undefined) return { status: 'failed', reason: `Claude Code stopped: ${errorMessage(input.failure)}`, summary: null, ...modelError };
  return { status: 'failed', reason: 'Claude Code ended without a result', summary: null, ...modelError };
}

/**
 * Claude Code runs under the same sandbox as gates (process/sandbox.ts), with these differences: it
 * keeps the host's network (the metering proxy is on the host's 127.0.0.1); it may write its own
 * config folder (the run's CLAUDE_CONFIG_DIR, where its memory stays); the rest of the run's folder
 * (claudeCodeRunConfig.ts: the project settings file and plugin it is given) stays readable though
 * the storage around it is hidden; and its executable's folder stays readable wherever it is (the
 * Claude Code extension's binary lives under the hidden home). HOME (the run's own) is an empty
 * tmpfs, as for gates. Its Bash commands run inside the same sandbox.
 */
async function sandboxFor(options: ClaudeCodeSessionOptions, env: Record<string, string>): Promise<Confinement> {
  const { configDir } = options.config;
  await mkdir(configDir, { recursive: true });
  const executable = await realpath(options.executable).catch(() => options.executable);
  return confine(
    { cwd: options.worktree, env, network: true, writable: [configDir], readable: [dirname(configDir), dirname(executable)] },
    options.request.tools.sandbox ?? DEFAULT_SANDBOX_POLICY,
  );
}

function sandboxed(sandbox: Extract<Confinement, { kind: 'sandbox' }>, spawnOptions: SpawnOptions): SpawnOptions {
  const launch = sandbox.launch(spawnOptions.command, spawnOptions.args, spawnOptions.env, claudeCodeOwnVariables(spawnOptions.env));
  return { ...spawnOptions, command: launch.file, args: launch.args, env: launch.env };
}

/** Claude Code in its own process group (so its children can be found and ended with it); stderr to the log. */
type ClaudeProcess = ChildProcessByStdio<Writable, Readable, Readable>;

function spawnGroup(options: SpawnOptions, logger: Logger): ClaudeProcess {
  const proc = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'] as const,
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  proc.stderr.on('data', (chunk: Buffer) => logger.debug(`claude: ${chunk.toString('utf8').trimEnd()}`));
  // Recorded in the batch lock while it runs: after a kill of Flotilla, a resume ends it before reusing the worktree.
  if (proc.pid !== undefined) proc.once('close', workerProcesses.started('claude', proc.pid));
  return proc;
}

function toRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
