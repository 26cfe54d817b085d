import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { describeFileKind, hasFsCode, isNotFound } from '../fsFailure';
import { StoreError } from './storageErrors';

/**
 * Something other than a plain file sits where Flotilla keeps one of its own files (a lock, a
 * state file): a folder, a symbolic link, a FIFO, a socket, a device. Reading it could block forever
 * (a FIFO), follow a link out of storage, or fail with an error no one can act on; so it is named
 * instead, with what to do.
 */
export class UnexpectedFileKindError extends StoreError {
  override readonly name = 'UnexpectedFileKindError';

  constructor(
    readonly path: string,
    readonly kind: string,
    readonly nextStep: string,
  ) {
    super(`${path} is ${kind}, not a file Flotilla wrote.`);
  }

  static is(error: unknown): error is UnexpectedFileKindError {
    return error instanceof Error && error.name === 'UnexpectedFileKindError';
  }
}

/**
 * Opened without waiting for a FIFO's writer (O_NONBLOCK opens it at once; it changes nothing for a
 * plain file), and for lock files without following a final symbolic link (ELOOP instead), so the
 * kind can be checked before anything is read. Platforms without these flags (Windows) have neither
 * FIFOs nor this risk.
 */
const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface RegularFileText {
  readonly text: string;
  readonly mtimeMs: number;
}

/**
 * `path` opened for reading if it is a plain file; undefined if nothing is there;
 * UnexpectedFileKindError (with `nextStep`) for anything else — a folder, a FIFO, a socket, a device,
 * and with `followLinks: false` a symbolic link. Never blocks on a FIFO. The caller closes the handle.
 */
export async function openRegularFile(path: string, nextStep: string, options: { readonly followLinks: boolean }): Promise<FileHandle | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | NONBLOCK | (options.followLinks ? 0 : NOFOLLOW));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    if (hasFsCode(error, 'ELOOP') && !options.followLinks) throw new UnexpectedFileKindError(path, 'a symbolic link', nextStep);
    throw error;
  }
  const info = await handle.stat();
  if (info.isFile()) return handle;
  await handle.close();
  throw new UnexpectedFileKindError(path, describeFileKind(info), nextStep);
}

/** The text of a file Flotilla owns (a lock): a plain file, not followed through a link, never blocking. */
export async function readRegularFile(path: string, nextStep: string): Promise<RegularFileText | undefined> {
  const handle = await openRegularFile(path, nextStep, { followLinks: false });
  if (handle === undefined) return undefined;
  try {
    const [text, info] = await Promise.all([handle.readFile('utf8'), handle.stat()]);
    return { text, mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** readRegularFile for an exit handler, where nothing asynchronous runs any more. */
export function readRegularFileSync(path: string, nextStep: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | NOFOLLOW);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    if (hasFsCode(error, 'ELOOP')) throw new UnexpectedFileKindError(path, 'a symbolic link', nextStep);
    throw error;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new UnexpectedFileKindError(path, describeFileKind(info), nextStep);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

/** Throws UnexpectedFileKindError unless `path` is a plain file or absent (the link itself is looked at, not its target). */
export async function expectRegularOrAbsent(path: string, nextStep: string): Promise<void> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) throw new UnexpectedFileKindError(path, describeFileKind(info), nextStep);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
