import { cp } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { errorMessage } from '../../errorText';
import type { Logger } from '../../logger';
import { isNotFound } from '../../store/atomicJson';
import { parseConfigFile, readOptional, userStateSchema, validServers, type McpServer } from './claudeConfigFiles';

/** Where the user's own Claude Code configuration lives, as Claude Code finds it. */
export interface UserClaudeConfigLocation {
  /** `$CLAUDE_CONFIG_DIR`, else `~/.claude`: settings.json, CLAUDE.md, skills, agents, commands. */
  readonly dir: string;
  /** `$CLAUDE_CONFIG_DIR/.claude.json`, else `~/.claude.json`: the user's MCP servers among Claude Code's state. */
  readonly stateFile: string;
}

export function userClaudeConfigLocation(env: NodeJS.ProcessEnv): UserClaudeConfigLocation {
  if (env.CLAUDE_CONFIG_DIR) return { dir: env.CLAUDE_CONFIG_DIR, stateFile: join(env.CLAUDE_CONFIG_DIR, '.claude.json') };
  const home = env.HOME || env.USERPROFILE || homedir();
  return { dir: join(home, '.claude'), stateFile: join(home, '.claude.json') };
}

/**
 * The parts of the user's configuration a worker uses: read by Claude Code from the run's own config
 * folder, so it writes its state (sessions, todos, backups, plugin records) there and never in the
 * user's. Copies, not links: nothing Claude Code does in the run can change the user's files.
 */
const USER_CONFIG_ENTRIES = ['settings.json', 'CLAUDE.md', 'skills', 'agents', 'commands', 'output-styles'];

export async function copyUserClaudeConfig(from: UserClaudeConfigLocation, to: string, logger: Logger): Promise<void> {
  for (const entry of USER_CONFIG_ENTRIES) {
    try {
      // Dereferenced: a skill linked in from elsewhere (a dotfiles checkout) is copied as the user sees it.
      await cp(join(from.dir, entry), join(to, entry), { recursive: true, dereference: true, force: true });
    } catch (error) {
      if (!isNotFound(error)) logger.warn(`${join(from.dir, entry)} could not be copied for Claude Code workers (${errorMessage(error)}); they run without it.`);
    }
  }
}

/** The user's MCP servers: user scope, and local scope for this repository (keyed by its folder). */
export async function userMcpServers(from: UserClaudeConfigLocation, repoRoot: string, logger: Logger): Promise<{ user: Record<string, McpServer>; local: Record<string, McpServer> }> {
  const text = await readOptional(from.stateFile, logger);
  const state = text === undefined ? undefined : parseConfigFile(text, userStateSchema, from.stateFile, 'Claude Code\'s state with "mcpServers"', logger);
  return {
    user: validServers(state?.mcpServers, from.stateFile, logger),
    local: validServers(state?.projects?.[repoRoot]?.mcpServers, `${from.stateFile} (projects["${repoRoot}"])`, logger),
  };
}
