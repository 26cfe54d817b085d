import { randomBytes } from 'node:crypto';
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StorageNotWritableError, StoragePathError } from './storageErrors';

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
