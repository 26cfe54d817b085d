import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errorMessage } from '../../errorText';
import type { Logger } from '../../logger';
import { isNotFound } from '../../store/atomicJson';

/**
 * The shapes of Claude Code's configuration files as Flotilla reads them (settings.json, .mcp.json,
 * the user's .claude.json) — only the parts it hands on. Claude Code itself validates the rest.
 */

/** A settings file: any JSON object (its keys are Claude Code's to check). */
export const claudeSettingsSchema = z.record(z.string(), z.unknown());
export type ClaudeSettings = z.infer<typeof claudeSettingsSchema>;

const stdioServerSchema = z.looseObject({
  type: z.literal('stdio').optional(),
  command: z.string().min(1),
  args: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const remoteServerSchema = z.looseObject({
  type: z.enum(['sse', 'http']),
  url: z.string().min(1),
  headers: z.record(z.string(), z.string()).optional(),
});
/** One MCP server as Claude Code's configuration writes it: a command to start, or a URL. */
export const mcpServerSchema = z.union([stdioServerSchema, remoteServerSchema]);
export type McpServer = z.infer<typeof mcpServerSchema>;

const serverListSchema = z.record(z.string(), z.unknown());
/** `.mcp.json`. */
export const mcpFileSchema = z.looseObject({ mcpServers: serverListSchema.optional() });
/** The user's `.claude.json`: user-scope servers, and local-scope ones per project folder. */
export const userStateSchema = z.looseObject({
  mcpServers: serverListSchema.optional(),
  projects: z.record(z.string(), z.looseObject({ mcpServers: serverListSchema.optional() })).optional(),
});

/**
 * Parses one configuration file's text. A file that is not valid gives one warning naming it and what
 * was expected, and is left out (as Claude Code itself ignores an invalid settings file in a
 * non-interactive run): a worker still runs, without that file's configuration.
 */
export function parseConfigFile<T>(text: string, schema: z.ZodType<T>, where: string, expected: string, logger: Logger): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    logger.warn(`${where}: not valid JSON (${errorMessage(error)}); it should hold ${expected}. Claude Code workers run without it.`);
    return undefined;
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  logger.warn(`${where}: ${issue ? `${issue.path.join('.') || 'the file'}: ${issue.message}` : 'invalid'}; it should hold ${expected}. Claude Code workers run without it.`);
  return undefined;
}

/** The valid servers of a server list; each invalid one is named in a warning and left out. */
export function validServers(list: Readonly<Record<string, unknown>> | undefined, where: string, logger: Logger): Record<string, McpServer> {
  const servers: Record<string, McpServer> = {};
  for (const [name, value] of Object.entries(list ?? {})) {
    const parsed = mcpServerSchema.safeParse(value);
    if (parsed.success) servers[name] = parsed.data;
    else logger.warn(`${where}: MCP server "${name}" is left out: it needs a "command" (with optional "args" and "env"), or "type": "sse" or "http" with a "url".`);
  }
  return servers;
}

/**
 * Two settings layers in one, the way Claude Code combines its sources: objects merge key by key,
 * lists are joined (without repeats), any other value of the later layer wins.
 */
export function mergeSettings(base: ClaudeSettings, over: ClaudeSettings): ClaudeSettings {
  const merged: ClaudeSettings = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = merged[key];
    if (isPlainObject(current) && isPlainObject(value)) merged[key] = mergeSettings(current, value);
    else if (Array.isArray(current) && Array.isArray(value)) merged[key] = [...new Set([...current, ...value].map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as unknown);
    else merged[key] = value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is ClaudeSettings {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A file of the user's that may be absent; one that cannot be read is named in a warning and left out. */
export async function readOptional(path: string, logger: Logger): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (!isNotFound(error)) logger.warn(`${path} could not be read (${errorMessage(error)}); Claude Code workers run without it.`);
    return undefined;
  }
}
