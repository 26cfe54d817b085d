import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isNotFound } from '../fsFailure';
import { asStoragePathError, StorageNotWritableError, StoragePathError } from './storageErrors';

/**
 * Proves up front that `dir` (created if missing) accepts a new file, a write and an fsync, so a
 * read-only or full storage folder stops a batch before it spends anything, with a clear message.
 * Checking permission bits would miss read-only mounts and ACLs; writing a probe does not.
 */
export async function checkWritable(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    // A file (or /dev/null) where the folder should be is named as such, not as "not writable".
    if (!(await stat(dir).then((s) => s.isDirectory(), () => true))) throw new StoragePathError(dir, 'ENOTDIR');
    await mkdir(dir, { recursive: true });
    const handle = await open(probe, 'wx');
    try {
      await handle.write('ok\n');
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new StorageNotWritableError(dir, error);
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

/**
 * Proves that an existing file Flotilla appends to — the month's ledger `ledger/YYYY-MM.jsonl` — can
 * be opened for appending: a writable folder says nothing about a read-only file in it, and a billed
 * call whose record cannot be written is money spent and not recorded (issue 20). Opened without
 * creating it (the folder check covers a new file) and without blocking (a FIFO fails at once, ENXIO);
 * the kind of what is there is checkStorageLayout's to name.
 */
export async function checkFileWritable(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_APPEND | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (isNotFound(error)) return;
    throw asStoragePathError(error, path);
  }
  await handle.close();
}
