import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { confineWritePath } from '../writeConfinement';
import { writeFileAtomic } from './atomicWrite';
import type { ToolInput } from './toolSchemas';
import { ok, ToolFailure, type ToolContext, type ToolResult } from './toolTypes';

export function checkWriteSize(content: string, ctx: ToolContext, shownPath: string): void {
  const size = Buffer.byteLength(content);
  if (size > ctx.maxWriteBytes) {
    throw new ToolFailure(
      `Not written: the content for ${shownPath} is ${size} bytes, over the ${ctx.maxWriteBytes}-byte limit per file. ` +
        'Write a smaller file, or change an existing one with edit_file.',
    );
  }
}

export async function writeFileTool(input: ToolInput<'write_file'>, ctx: ToolContext): Promise<ToolResult> {
  const target = await confineWritePath(ctx.root, input.path, { hooksPath: ctx.hooksPath });
  checkWriteSize(input.content, ctx, target.relative);
  if (target.relative === '.') throw new ToolFailure('write_file needs a file path, not the repository root.');
  const existing = await stat(target.absolute).catch(() => undefined);
  if (existing?.isDirectory()) throw new ToolFailure(`${target.relative} is a folder; give a file path.`);
  await mkdir(dirname(target.absolute), { recursive: true });
  await writeFileAtomic(target.absolute, input.content);
  const verb = existing ? 'Replaced' : 'Created';
  return ok(`${verb} ${target.relative} (${Buffer.byteLength(input.content)} bytes).`);
}
