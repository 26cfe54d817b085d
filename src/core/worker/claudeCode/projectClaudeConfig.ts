import { join } from 'node:path';
import type { GitCallOptions, GitClient } from '../../git/gitClient';
import type { Logger } from '../../logger';
import { claudeSettingsSchema, mcpFileSchema, mergeSettings, parseConfigFile, readOptional, validServers, type ClaudeSettings, type McpServer } from './claudeConfigFiles';

/**
 * What the repository configures for Claude Code, taken from the batch's base commit — never from a
 * ticket's worktree, whose files the model (or a command it ran, or a gate running its tests) may
 * have written since: project settings (hooks, permissions, env), the MCP servers of `.mcp.json`,
 * the instructions of CLAUDE.md, and the skills, agents and commands under `.claude/`. The user's
 * own untracked files in their checkout (`.claude/settings.local.json`, `CLAUDE.local.md`) are
 * the user's, not the model's, and are added on top.
 */
export interface ProjectClaudeConfig {
  /** `.claude/settings.json` at the base commit with the checkout's `.claude/settings.local.json` over it; undefined when neither exists. */
  readonly settings: ClaudeSettings | undefined;
  readonly mcpServers: Readonly<Record<string, McpServer>>;
  /** CLAUDE.md, .claude/CLAUDE.md (base commit) and CLAUDE.local.md (checkout), in that order; undefined when there are none. */
  readonly instructions: string | undefined;
  /** Files of `.claude/skills`, `.claude/agents`, `.claude/commands` at the base commit, by path below `.claude/`. */
  readonly extensionFiles: ReadonlyMap<string, string>;
}

const SETTINGS = '.claude/settings.json';
const MCP = '.mcp.json';
const INSTRUCTIONS = ['CLAUDE.md', '.claude/CLAUDE.md'];
const EXTENSION_FOLDERS = ['skills', 'agents', 'commands'];
const LOCAL_SETTINGS = '.claude/settings.local.json';
const LOCAL_INSTRUCTIONS = 'CLAUDE.local.md';

export async function readProjectClaudeConfig(git: GitClient, repoRoot: string, baseCommit: string, logger: Logger, call?: GitCallOptions): Promise<ProjectClaudeConfig> {
  const files = await filesAtCommit(git, repoRoot, baseCommit, logger, call);
  const where = (path: string) => `${path} at ${baseCommit.slice(0, 12)}`;
  const expectedSettings = 'a JSON object of Claude Code settings';

  const committed = parse(files.get(SETTINGS), where(SETTINGS), logger);
  const localText = await readOptional(join(repoRoot, LOCAL_SETTINGS), logger);
  const local = parse(localText, join(repoRoot, LOCAL_SETTINGS), logger);
  const settings = committed && local ? mergeSettings(committed, local) : (committed ?? local);

  const mcpText = files.get(MCP);
  const mcpFile = mcpText === undefined ? undefined : parseConfigFile(mcpText, mcpFileSchema, where(MCP), 'an object with "mcpServers"', logger);
  const mcpServers = validServers(mcpFile?.mcpServers, where(MCP), logger);

  const localInstructions = await readOptional(join(repoRoot, LOCAL_INSTRUCTIONS), logger);
  const instructions = [...INSTRUCTIONS.map((p) => files.get(p)), localInstructions].map((t) => t?.trim() ?? '').filter((t) => t !== '');

  const extensionFiles = new Map<string, string>();
  for (const [path, text] of files) {
    const below = path.slice('.claude/'.length);
    if (path.startsWith('.claude/') && EXTENSION_FOLDERS.some((f) => below.startsWith(`${f}/`))) extensionFiles.set(below, text);
  }
  return { settings, mcpServers, instructions: instructions.length > 0 ? instructions.join('\n\n') : undefined, extensionFiles };

  function parse(text: string | undefined, at: string, log: Logger): ClaudeSettings | undefined {
    return text === undefined ? undefined : parseConfigFile(text, claudeSettingsSchema, at, expectedSettings, log);
  }
}

/**
 * The text of every Claude Code configuration file at `commit`: one `ls-tree` for the list, one
 * `cat-file` per file. Symbolic links are not followed (their target is not part of the commit), and
 * a file that is not UTF-8 text (an image in a skill) is left out with a note in the log.
 */
async function filesAtCommit(git: GitClient, repoRoot: string, commit: string, logger: Logger, call?: GitCallOptions): Promise<Map<string, string>> {
  const listing = await git.run(repoRoot, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', '.claude', MCP, ...INSTRUCTIONS], call);
  const files = new Map<string, string>();
  for (const entry of listing.stdout.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!match || match[1] === '120000') continue;
    const [, , blob = '', path = ''] = match;
    if (!isWanted(path)) continue;
    const text = (await git.run(repoRoot, ['cat-file', 'blob', blob], call)).stdout;
    if (text.includes('\uFFFD')) logger.debug(`Claude Code configuration: ${path} at ${commit.slice(0, 12)} is not UTF-8 text and is left out`);
    else files.set(path, text);
  }
  return files;
}

function isWanted(path: string): boolean {
  // git refuses such paths in a checkout; a crafted tree could still hold one, and it would leave the plugin folder.
  if (path.split('/').some((s) => s === '..' || s === '.' || s === '')) return false;
  return path === SETTINGS || path === MCP || INSTRUCTIONS.includes(path) || EXTENSION_FOLDERS.some((f) => path.startsWith(`.claude/${f}/`));
}
