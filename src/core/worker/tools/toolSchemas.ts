import { z } from 'zod';

const path = z.string().min(1).describe('Path relative to the repository root, e.g. src/app.ts');

/**
 * The input of each tool. These are the single source of truth: the JSON Schema sent to the model
 * is derived from them, and every tool_use input is parsed by them before anything runs.
 */
export const toolInputSchemas = {
  read_file: z.strictObject({
    path,
    startLine: z.number().int().min(1).optional().describe('First line to return (1-based). Default 1.'),
    endLine: z.number().int().min(1).optional().describe('Last line to return (inclusive). Default: as far as the size limit allows.'),
  }),
  list_dir: z.strictObject({
    path: z.string().optional().describe('Folder relative to the repository root; "." or omitted for the root.'),
  }),
  search_text: z.strictObject({
    pattern: z.string().min(1).describe('JavaScript regular expression, matched against each line.'),
    path: z.string().optional().describe('Only search below this folder (relative to the repository root).'),
    ignoreCase: z.boolean().optional().describe('Match case-insensitively. Default false.'),
    maxResults: z.number().int().min(1).max(500).optional().describe('Stop after this many matching lines. Default 100.'),
  }),
  edit_file: z.strictObject({
    path,
    oldText: z.string().min(1).describe('Exact text to replace, including whitespace; must occur exactly once in the file.'),
    newText: z.string().describe('Replacement text.'),
  }),
  write_file: z.strictObject({
    path,
    content: z.string().describe('The complete new file content.'),
  }),
  run_command: z.strictObject({
    command: z.string().min(1).describe('One command line, e.g. "npm test -- --grep parser". No shell: no pipes, redirects or "&&".'),
  }),
  finish: z.strictObject({
    summary: z.string().min(1).describe('What was changed and why, and anything left undone.'),
  }),
} as const;

export type ToolName = keyof typeof toolInputSchemas;
export type ToolInput<N extends ToolName> = z.infer<(typeof toolInputSchemas)[N]>;

export const TOOL_NAMES = Object.keys(toolInputSchemas) as ToolName[];

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(toolInputSchemas, name);
}
