import { readdir } from 'node:fs/promises';
import { confinePath } from '../pathConfinement';
import type { ToolInput } from './toolSchemas';
import { ok, type ToolContext, type ToolResult } from './toolTypes';

/** Enough for any real folder; a generated folder with more would flood the context for nothing. */
const MAX_ENTRIES = 1000;

export async function listDirTool(input: ToolInput<'list_dir'>, ctx: ToolContext): Promise<ToolResult> {
  const target = await confinePath(ctx.root, input.path ?? '.');
  const entries = await readdir(target.absolute, { withFileTypes: true });
  const names = entries
    .filter((e) => e.name.toLowerCase() !== '.git')
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.isSymbolicLink() ? `${e.name} (symlink)` : e.name))
    .sort((a, b) => a.localeCompare(b));
  if (names.length === 0) return ok(`${target.relative} is empty.`);
  const shown = names.slice(0, MAX_ENTRIES);
  const more = names.length > MAX_ENTRIES ? `\n[${names.length - MAX_ENTRIES} more entries not shown]` : '';
  return ok(`${target.relative}:\n${shown.join('\n')}${more}`);
}
