import type { z } from 'zod';
import { PathRefusedError } from '../pathConfinement';
import { editFileTool } from './editFileTool';
import { listDirTool } from './listDirTool';
import { readFileTool } from './readFileTool';
import { runCommandTool } from './runCommandTool';
import { searchTextTool } from './searchTextTool';
import { isToolName, TOOL_NAMES, toolInputSchemas, type ToolInput, type ToolName } from './toolSchemas';
import { ToolFailure, type ToolContext, type ToolResult } from './toolTypes';
import { writeFileTool } from './writeFileTool';
import { errorMessage } from '../../errorText';

type Handlers = { [N in ToolName]: (input: ToolInput<N>, ctx: ToolContext) => Promise<ToolResult> };

const handlers: Handlers = {
  read_file: readFileTool,
  list_dir: listDirTool,
  search_text: searchTextTool,
  edit_file: editFileTool,
  write_file: writeFileTool,
  run_command: runCommandTool,
  finish: async (input) => ({ content: 'Finished.', isError: false, finished: { summary: input.summary } }),
};

/**
 * Runs one tool_use block. Every model mistake — an unknown tool, input that does not fit the
 * schema, a refused path, a missing file, a failing command — comes back as `isError: true` with a
 * message the model can act on; this function does not throw for them.
 */
export async function executeTool(name: string, rawInput: unknown, ctx: ToolContext): Promise<ToolResult> {
  if (!isToolName(name)) {
    return failure(`Unknown tool "${name}". Available tools: ${TOOL_NAMES.join(', ')}.`);
  }
  if (ctx.signal?.aborted) return failure('The run was cancelled; no tool was executed.');
  const parsed = toolInputSchemas[name].safeParse(rawInput);
  if (!parsed.success) return failure(describeInputError(name, parsed.error));
  try {
    return await dispatch(name, parsed.data, ctx);
  } catch (error) {
    return failure(describeFailure(error));
  }
}

function dispatch<N extends ToolName>(name: N, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  // The input was parsed by toolInputSchemas[name] just before, so it has that tool's shape.
  const handler = handlers[name] as (input: unknown, ctx: ToolContext) => Promise<ToolResult>;
  return handler(input, ctx);
}

function failure(content: string): ToolResult {
  return { content, isError: true };
}

function describeInputError(name: ToolName, error: z.ZodError): string {
  const shape = toolInputSchemas[name].shape;
  const fields = Object.entries(shape).map(([key, schema]) => `${key}${schema.safeParse(undefined).success ? '?' : ''}`);
  const problems = error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'input';
    return `${where}: ${issue.message}`;
  });
  return `Invalid input for ${name}: ${problems.join('; ')}. Valid fields: ${fields.join(', ')} (? = optional).`;
}

const ERRNO_MESSAGES: Record<string, string> = {
  ENOENT: 'does not exist; use list_dir or search_text to find the right path',
  ENOTDIR: 'goes through something that is a file, not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'is not accessible (permission denied)',
  EPERM: 'is not accessible (operation not permitted)',
};

function describeFailure(error: unknown): string {
  if (error instanceof ToolFailure || error instanceof PathRefusedError) return error.message;
  const errno = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof errno.code === 'string' && ERRNO_MESSAGES[errno.code]) {
    return `The path ${ERRNO_MESSAGES[errno.code]}.`;
  }
  // An environment problem rather than a model mistake; report it and let the loop decide.
  return `The tool failed: ${errorMessage(error)}`;
}
