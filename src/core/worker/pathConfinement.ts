import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep, win32 } from 'node:path';

const HINT = 'Paths are relative to the repository root, e.g. src/app.ts.';

/** A path the model asked for that must not be used; the message tells the model what to do instead. */
export class PathRefusedError extends Error {
  constructor(readonly requested: string, reason: string) {
    super(`Refused path "${requested}": ${reason} ${HINT}`);
    this.name = 'PathRefusedError';
  }
}

export interface ConfinedPath {
  /** The real location on disk (symlinks resolved), always inside the root. */
  readonly absolute: string;
  /** Relative to the root with "/" separators; "." for the root itself. */
  readonly relative: string;
}

/**
 * Resolves a model-supplied path inside `root` (the ticket's worktree) or throws PathRefusedError.
 * Refused: absolute paths, any `..` segment, anything under `.git`, and anything whose real location
 * — found through the deepest part of the path that exists, so a not-yet-created file under a
 * symlinked folder counts — lies outside the root. The returned path is the resolved one, so a
 * later write cannot follow the link elsewhere.
 */
export async function confinePath(root: string, requested: string): Promise<ConfinedPath> {
  if (requested.includes('\0')) throw new PathRefusedError(requested, 'it contains a NUL character.');
  if (isAbsolute(requested) || win32.isAbsolute(requested)) {
    throw new PathRefusedError(requested, 'absolute paths are not allowed.');
  }
  const segments = requested.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new PathRefusedError(requested, '".." may not be used to leave the repository.');
  if (segments.some(isGitFolder)) throw new PathRefusedError(requested, 'the .git folder is off limits.');

  const realRoot = await realpath(root);
  const absolute = await realLocation(realRoot, segments, requested);
  const inside = relative(realRoot, absolute);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new PathRefusedError(requested, 'it resolves (through a symbolic link) to a location outside the repository.');
  }
  const insideSegments = inside === '' ? [] : inside.split(sep);
  if (insideSegments.some(isGitFolder)) throw new PathRefusedError(requested, 'it resolves (through a symbolic link) into the .git folder.');
  return { absolute, relative: insideSegments.length === 0 ? '.' : insideSegments.join('/') };
}

/** Case-insensitive because macOS and Windows file systems are. */
function isGitFolder(segment: string): boolean {
  return segment.toLowerCase() === '.git';
}

/** realpath of the deepest existing ancestor, with the missing remainder appended. */
async function realLocation(realRoot: string, segments: readonly string[], requested: string): Promise<string> {
  for (let depth = segments.length; depth >= 0; depth--) {
    const candidate = join(realRoot, ...segments.slice(0, depth));
    try {
      return join(await realpath(candidate), ...segments.slice(depth));
    } catch (error) {
      if (!isErrno(error, 'ENOENT') && !isErrno(error, 'ENOTDIR')) throw error;
    }
    // realpath fails on a dangling symlink too; following it on write would escape, so refuse it.
    if (await isSymlink(candidate)) throw new PathRefusedError(requested, 'it is a symbolic link whose target does not exist.');
  }
  return realRoot;
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
