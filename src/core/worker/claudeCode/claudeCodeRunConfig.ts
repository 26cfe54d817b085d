import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Options } from '@anthropic-ai/claude-agent-sdk';
import type { Logger } from '../../logger';
import type { McpServer } from './claudeConfigFiles';
import type { ProjectClaudeConfig } from './projectClaudeConfig';
import { copyUserClaudeConfig, userClaudeConfigLocation, userMcpServers } from './userClaudeConfig';

/** The plugin that carries the repository's skills, agents and commands: they show as `project:<name>`. */
export const PROJECT_PLUGIN_NAME = 'project';

export interface ClaudeCodeRunConfig {
  /** The run's CLAUDE_CONFIG_DIR: a copy of the user's configuration, and where Claude Code keeps its state. */
  readonly configDir: string;
  /** HOME (and the XDG folders) of Claude Code and every command it runs: a fresh, private folder. */
  readonly homeDir: string;
  /** Where Claude Code's configuration comes from; nothing in it is read from the worktree. */
  readonly options: Pick<Options, 'settingSources' | 'settings' | 'mcpServers' | 'strictMcpConfig' | 'plugins'>;
  /** The repository's CLAUDE.md instructions at the base commit, for the system prompt. */
  readonly instructions: string | undefined;
}

export interface RunConfigRequest {
  /** A folder of this ticket run's own (`batches/<batch>/claude/<ticket>`); emptied and filled here. */
  readonly runDir: string;
  readonly project: ProjectClaudeConfig;
  readonly repoRoot: string;
  /** The environment Flotilla runs in: it says where the user's own configuration is. */
  readonly userEnv: NodeJS.ProcessEnv;
  readonly logger: Logger;
}

/**
 * Lays out one Claude Code run's configuration, afresh before every session (a fix loop or a
 * request-changes run in the same worktree included), so nothing written during an earlier one —
 * by the model, a command or a gate — carries over:
 * - user settings: Claude Code's `user` source, read from the run's CLAUDE_CONFIG_DIR, which holds a
 *   copy of the user's settings.json, CLAUDE.md, skills, agents and commands;
 * - project settings (the base commit's, with the user's settings.local.json): a settings file
 *   passed as `settings`; the `project` and `local` sources, which read the worktree, stay off;
 * - MCP servers: the user's, then the base commit's `.mcp.json`, then the user's local ones for this
 *   repository, passed explicitly with `strictMcpConfig` so no `.mcp.json` in the worktree counts;
 * - the base commit's skills, agents and commands: a local plugin built in the run folder.
 */
export async function prepareRunConfig(request: RunConfigRequest): Promise<ClaudeCodeRunConfig> {
  const { runDir, project, logger } = request;
  await rm(runDir, { recursive: true, force: true, maxRetries: 3 });
  const configDir = join(runDir, 'config');
  const homeDir = join(runDir, 'home');
  await mkdir(configDir, { recursive: true, mode: 0o700 });
  await mkdir(homeDir, { recursive: true, mode: 0o700 });
  // The run folder holds copies of the user's settings, which may carry secrets in their env.
  await chmod(runDir, 0o700);

  const user = userClaudeConfigLocation(request.userEnv);
  await copyUserClaudeConfig(user, configDir, logger);
  const servers = await userMcpServers(user, request.repoRoot, logger);
  const disabled = new Set(stringList(project.settings?.disabledMcpjsonServers));
  const projectServers = Object.fromEntries(Object.entries(project.mcpServers).filter(([name]) => !disabled.has(name)));
  const mcpServers: Record<string, McpServer> = { ...servers.user, ...projectServers, ...servers.local };

  let settings: string | undefined;
  if (project.settings) {
    settings = join(runDir, 'project-settings.json');
    await writeFile(settings, `${JSON.stringify(project.settings, null, 2)}\n`, { mode: 0o600 });
  }
  const plugins = project.extensionFiles.size > 0 ? [{ type: 'local' as const, path: await writeProjectPlugin(join(runDir, 'project-plugin'), project.extensionFiles) }] : [];

  return {
    configDir,
    homeDir,
    options: { settingSources: ['user'], ...(settings ? { settings } : {}), mcpServers, strictMcpConfig: true, plugins },
    instructions: project.instructions,
  };
}

async function writeProjectPlugin(dir: string, files: ReadonlyMap<string, string>): Promise<string> {
  const manifest = { name: PROJECT_PLUGIN_NAME, description: "The repository's skills, agents and commands at the batch's base commit" };
  await mkdir(join(dir, '.claude-plugin'), { recursive: true });
  await writeFile(join(dir, '.claude-plugin', 'plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
