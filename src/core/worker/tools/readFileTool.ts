import { confinePath } from '../pathConfinement';
import { readTextFile, splitLines } from './fileText';
import type { ToolInput } from './toolSchemas';
import { ok, ToolFailure, type ToolContext, type ToolResult } from './toolTypes';

/**
 * Returns numbered lines from `startLine`, stopping at `endLine` or at `ctx.maxReadBytes`, and says
 * where to continue when it stopped early, so the model can page through a large file.
 */
export async function readFileTool(input: ToolInput<'read_file'>, ctx: ToolContext): Promise<ToolResult> {
  const target = await confinePath(ctx.root, input.path);
  const lines = splitLines(await readTextFile(target.absolute, target.relative));
  const total = lines.length;
  const start = input.startLine ?? 1;
  const end = Math.min(input.endLine ?? total, total);
  if (total === 0) return ok(`${target.relative} is empty.`);
  if (start > total) throw new ToolFailure(`${target.relative} has ${total} lines; startLine ${start} is past the end.`);
  if (end < start) throw new ToolFailure(`endLine (${end}) is before startLine (${start}).`);

  const width = String(end).length;
  const out: string[] = [];
  let bytes = 0;
  let last = start - 1;
  for (let n = start; n <= end; n++) {
    const line = `${String(n).padStart(width)}\t${lines[n - 1] ?? ''}`;
    bytes += Buffer.byteLength(line) + 1;
    if (bytes > ctx.maxReadBytes && out.length > 0) break;
    out.push(line);
    last = n;
  }
  const header = `${target.relative} (lines ${start}-${last} of ${total})`;
  const more = last < end ? `\n[stopped at the ${ctx.maxReadBytes}-byte read limit; continue with startLine ${last + 1}]` : '';
  return ok(`${header}\n${out.join('\n')}${more}`);
}
