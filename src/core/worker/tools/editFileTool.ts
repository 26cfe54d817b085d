import { confineWritePath } from '../writeConfinement';
import { writeFileAtomic } from './atomicWrite';
import { readTextFile } from './fileText';
import type { ToolInput } from './toolSchemas';
import { ok, ToolFailure, type ToolContext, type ToolResult } from './toolTypes';
import { checkWriteSize } from './writeFileTool';

export async function editFileTool(input: ToolInput<'edit_file'>, ctx: ToolContext): Promise<ToolResult> {
  const target = await confineWritePath(ctx.root, input.path, { hooksPath: ctx.hooksPath });
  const text = await readTextFile(target.absolute, target.relative);
  const starts = occurrences(text, input.oldText);
  if (starts.length === 0) {
    throw new ToolFailure(
      `oldText was not found in ${target.relative}. It must match exactly, including indentation and line breaks, ` +
        'and must not include the line numbers read_file shows. Read the file again and copy the text.',
    );
  }
  if (starts.length > 1) {
    const lines = starts.map((s) => lineOf(text, s)).join(', ');
    throw new ToolFailure(
      `oldText occurs ${starts.length} times in ${target.relative} (lines ${lines}); nothing was changed. ` +
        'Include more surrounding lines so it matches exactly once.',
    );
  }
  const start = starts[0] ?? 0;
  const updated = text.slice(0, start) + input.newText + text.slice(start + input.oldText.length);
  checkWriteSize(updated, ctx, target.relative);
  await writeFileAtomic(target.absolute, updated);
  return ok(`Edited ${target.relative} at line ${lineOf(text, start)}.`);
}

/** Start offsets of every (possibly overlapping) occurrence; overlapping ones make an edit ambiguous too. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
