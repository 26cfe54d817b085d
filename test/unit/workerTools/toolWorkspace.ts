import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ToolContext } from '../../../src/core/worker/tools/toolTypes';

/** A worktree stand-in next to an "outside" folder, so escapes have something real to reach. */
export interface ToolWorkspace {
  readonly base: string;
  readonly root: string;
  readonly outside: string;
  write(relative: string, content: string | Buffer): void;
  ctx(overrides?: Partial<ToolContext>): ToolContext;
  dispose(): void;
}

export function createToolWorkspace(): ToolWorkspace {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'flotilla-tools-')));
  const root = join(base, 'worktree');
  const outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET\n');
  const write = (relative: string, content: string | Buffer): void => {
    mkdirSync(dirname(join(root, relative)), { recursive: true });
    writeFileSync(join(root, relative), content);
  };
  return {
    base,
    root,
    outside,
    write,
    ctx: (overrides = {}) => ({
      root,
      allowCommands: [],
      commandTimeoutMs: 10_000,
      maxReadBytes: 64 * 1024,
      maxWriteBytes: 64 * 1024,
      maxOutputBytes: 64 * 1024,
      ...overrides,
    }),
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}
