import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { TOOL_NAMES, toolInputSchemas, type ToolName } from './toolSchemas';

const DESCRIPTIONS: Record<ToolName, string> = {
  read_file:
    'Read a text file from the repository, with line numbers. Large files are cut at a size limit; ' +
    'use startLine/endLine to read further. Line numbers are not part of the file content.',
  list_dir: 'List a folder of the repository. Folders end with "/". The .git folder is not shown.',
  search_text:
    'Search the repository for a regular expression, line by line, skipping .git, ignored files and binary files. ' +
    'Returns "path:line: text" for each match.',
  edit_file:
    'Replace one exact piece of text in a file. oldText must match the file exactly once, whitespace included; ' +
    'if it occurs several times, include more surrounding lines.',
  write_file: 'Create a file or replace its whole content. Missing folders are created.',
  run_command:
    'Run a command in the repository root, without a shell. Only commands on the configured allowlist run; ' +
    'the output is capped and the command is stopped after a time limit.',
  finish: 'Call once the ticket is done (or cannot be done), with a summary for the reviewer. Ends the session.',
};

function inputSchema(name: ToolName): Tool.InputSchema {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(toolInputSchemas[name], { io: 'input' });
  return { ...schema, type: 'object' };
}

/** The worker's tools in the Messages API `tools` format, in a fixed order so the prompt prefix caches. */
export const workerToolDefinitions: readonly Tool[] = TOOL_NAMES.map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  input_schema: inputSchema(name),
}));
