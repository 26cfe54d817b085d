import { join } from 'node:path';
import { MAX_TOKENS_PER_TURN } from '../../llm/requestEstimate';
import { commandEnvironment } from '../tools/runCommandTool';

/**
 * Variables that would route Claude Code around the metering proxy or give it other credentials
 * (cloud providers, a subscription token); commandEnvironment already drops ANTHROPIC_* and *_TOKEN.
 */
const ROUTING = /^(CLAUDE_CODE_USE_[A-Z]+|CLAUDE_CODE_SKIP_[A-Z_]*AUTH|CLAUDE_CODE_OAUTH_[A-Z_]+|AWS_BEARER_TOKEN_BEDROCK)$/;

export interface ClaudeCodeEnvironmentOptions {
  /** The run's own URL on the metering proxy. */
  readonly baseURL: string;
  /** The batch token the proxy accepts; the only API key the child ever sees. */
  readonly token: string;
  /** The fast tier's model: Claude Code's side calls (titles, summaries) run on it, so they are priced. */
  readonly fastModel: string;
  /** The run's own CLAUDE_CONFIG_DIR (claudeCodeRunConfig.ts). */
  readonly configDir: string;
  /** The run's own home folder, for Claude Code and the commands it runs. */
  readonly homeDir: string;
}

/**
 * The whole environment of a Claude Code worker (the SDK replaces, not merges, it): this process's
 * variables minus every API key, token and provider switch, plus the proxy as the API with the batch
 * token as the key, Claude Code's own traffic (telemetry, updates, error reports) off, and the same
 * per-turn output cap as the built-in engine, so the budget guard's worst case holds for both. Its
 * config folder and home are the run's own: Claude Code keeps its state (sessions, todos, caches, MCP
 * logs) there instead of in the user's home, and the commands it runs see neither the user's shell
 * profile nor ~/.npmrc or ~/.ssh through HOME — as run_command's private home does for the built-in engine.
 */
export function claudeCodeEnvironment(options: ClaudeCodeEnvironmentOptions, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(commandEnvironment(base))) {
    if (value !== undefined && !ROUTING.test(key)) env[key] = value;
  }
  const noProxy = [env.NO_PROXY ?? env.no_proxy, '127.0.0.1', 'localhost'].filter(Boolean).join(',');
  return {
    ...env,
    HOME: options.homeDir,
    USERPROFILE: options.homeDir,
    XDG_CONFIG_HOME: join(options.homeDir, '.config'),
    XDG_CACHE_HOME: join(options.homeDir, '.cache'),
    XDG_DATA_HOME: join(options.homeDir, '.local', 'share'),
    XDG_STATE_HOME: join(options.homeDir, '.local', 'state'),
    CLAUDE_CONFIG_DIR: options.configDir,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
    ANTHROPIC_BASE_URL: options.baseURL,
    ANTHROPIC_API_KEY: options.token,
    ANTHROPIC_DEFAULT_HAIKU_MODEL: options.fastModel,
    ANTHROPIC_SMALL_FAST_MODEL: options.fastModel,
    CLAUDE_CODE_MAX_OUTPUT_TOKENS: String(MAX_TOKENS_PER_TURN),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_AGENT_SDK_CLIENT_APP: 'flotilla',
  };
}

/** Claude Code's own variables: Flotilla's proxy and batch token (ANTHROPIC_*), its CLAUDE_* and DISABLE_* switches. */
const CLAUDE_CODE_OWN = /^(ANTHROPIC_|CLAUDE_|DISABLE_)|^(NO_PROXY|no_proxy)$/;

/**
 * The part of a Claude Code worker's environment that is Claude Code's own, kept inside the sandbox
 * beside the allow-listed basics (sandboxEnvironment.ts). Safe to keep whole: claudeCodeEnvironment
 * built it from an environment without the user's keys and provider switches, then set the proxy's.
 */
export function claudeCodeOwnVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && CLAUDE_CODE_OWN.test(entry[0])));
}
