/**
 * Operating-system errors (errno) on a path the user chose: a storage folder that is a file, a
 * tickets folder that cannot be read, a full disk. They are the user's to fix, so every front end
 * turns them into a clear line naming the path (exit 2 in the CLI), never a crash. Other errors —
 * a TypeError, an ENOENT on a file Flotilla made itself — stay bugs.
 */
export interface FsFailure {
  readonly code: string;
  /** The path the system call was given, when Node reports one (a read stream's EISDIR does not). */
  readonly path?: string;
  readonly syscall?: string;
}

const WHAT: Readonly<Record<string, string>> = {
  ENOTDIR: 'this path, or a part of it, is a file, not a folder',
  EISDIR: 'this is a folder where Flotilla keeps a file',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ELOOP: 'a loop of symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EEXIST: 'a file (or something else that is not a folder) is already at this path',
  EIO: 'the device reported an input/output error',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
};

/** The errno codes that mean "the environment or the user's paths", not "Flotilla has a bug". */
export function isEnvironmentCode(code: string): boolean {
  return code in WHAT;
}

/** The errno part of an error, or undefined when it is not an operating-system error. */
export function fsFailureOf(error: unknown): FsFailure | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  return { code, ...(typeof path === 'string' ? { path } : {}), ...(typeof syscall === 'string' ? { syscall } : {}) };
}

/** "a part of this path is a file, not a folder (ENOTDIR)": what the code means, for one line of text. */
export function describeFsCode(code: string): string {
  const what = WHAT[code];
  return what === undefined ? code : `${what} (${code})`;
}

/** Whether `error` is an operating-system error with one of `codes`: the one place such checks are written. */
export function hasFsCode(error: unknown, ...codes: readonly string[]): boolean {
  const failure = fsFailureOf(error);
  return failure !== undefined && codes.includes(failure.code);
}

/** No such file or folder (ENOENT). */
export function isNotFound(error: unknown): boolean {
  return hasFsCode(error, 'ENOENT');
}

/**
 * The codes that mean "storage cannot take this write": the disk or quota is full, the file system is
 * read-only, permission is denied, the device fails. A batch that meets one cannot record what it does.
 */
const STORAGE_FAULT_CODES = ['ENOSPC', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'ENOTDIR'] as const;

export function isStorageFault(error: unknown): boolean {
  return hasFsCode(error, ...STORAGE_FAULT_CODES);
}

/**
 * The storage fault inside `error`, looking through the errors that wrap it (a usage record that
 * could not be written is a typed LLM error whose cause is the ENOSPC), or undefined.
 */
export function storageFaultIn(error: unknown): FsFailure | undefined {
  let current = error;
  // A write's ENOSPC names no path; the typed error around it often does (StorageNotWritableError's).
  let wrapperPath: string | undefined;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const failure = isStorageFault(current) ? fsFailureOf(current) : undefined;
    if (failure) return failure.path === undefined && wrapperPath !== undefined ? { ...failure, path: wrapperPath } : failure;
    const { path, cause } = current as { path?: unknown; cause?: unknown };
    if (typeof path === 'string') wrapperPath = path;
    current = cause;
  }
  return undefined;
}

/**
 * Tools such as git print the system's message, not its code. These texts (glibc's, which macOS
 * shares) name a storage that cannot take a write; the code they stand for, or undefined.
 */
const SYSTEM_MESSAGES: readonly (readonly [string, string])[] = [
  ['No space left on device', 'ENOSPC'],
  ['Disk quota exceeded', 'EDQUOT'],
  ['Read-only file system', 'EROFS'],
];

export function storageCodeInMessage(text: string): string | undefined {
  return SYSTEM_MESSAGES.find(([message]) => text.includes(message))?.[1];
}

/** What a path is, in words, for a message about finding it where something else belongs. */
export function describeFileKind(info: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isSymbolicLink()) return 'a symbolic link';
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  return info.isFile() ? 'a file' : 'a device';
}
