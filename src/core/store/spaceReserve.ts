import { open, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isNotFound } from '../fsFailure';
import { asStoragePathError } from './storageErrors';

const CHUNK_BYTES = 64 * 1024;

/** What a batch of `tickets` needs for its last writes: the final state, the execution log, held usage records. */
export function reserveBytesFor(tickets: number): number {
  return 128 * 1024 + 16 * 1024 * tickets;
}

/**
 * Room kept on the disk for a batch's last words. A full disk refuses every new block, and the final
 * state — written atomically, as a new file renamed over the old one — needs new blocks; so a batch
 * that filled the disk could not record that it stopped, and would stay `running` on disk (issue 20).
 * The reserve is a file of zeros, written and synced before the batch starts; releasing it gives that
 * room back for the final writes. One file per file system the batch records to. (On copy-on-write
 * file systems with snapshots, freed blocks may not come back at once: best effort there.)
 */
export class SpaceReserve {
  private constructor(private readonly files: string[]) {}

  /**
   * Writes `bytes` into each of `files` whose folder is on a file system not yet covered. Throws
   * StoragePathError naming the file when the disk cannot hold it: the batch must not start then.
   */
  static async take(files: readonly string[], bytes: number): Promise<SpaceReserve> {
    const devices = new Set<number>();
    const taken: string[] = [];
    try {
      for (const file of files) {
        const { dev } = await stat(dirname(file));
        if (devices.has(dev)) continue;
        devices.add(dev);
        taken.push(file);
        await writeZeros(file, bytes);
      }
    } catch (error) {
      await Promise.all(taken.map((f) => unlink(f).catch(() => undefined)));
      throw asStoragePathError(error, taken.at(-1) ?? files[0] ?? '');
    }
    return new SpaceReserve(taken);
  }

  /** Frees the room (once; later calls do nothing). */
  async release(): Promise<void> {
    const files = this.files.splice(0);
    await Promise.all(files.map((f) => unlink(f).catch((error: unknown) => (isNotFound(error) ? undefined : Promise.reject(error)))));
  }
}

async function writeZeros(file: string, bytes: number): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    const zeros = Buffer.alloc(Math.min(CHUNK_BYTES, bytes));
    for (let written = 0; written < bytes; ) {
      const length = Math.min(zeros.length, bytes - written);
      const { bytesWritten } = await handle.write(zeros, 0, length);
      // A short write to a plain file means the disk is full.
      if (bytesWritten < length) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', path: file });
      written += bytesWritten;
    }
    // Written blocks are only sure to be allocated (delayed allocation) once synced.
    await handle.sync();
  } finally {
    await handle.close();
  }
}
