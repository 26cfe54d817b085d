import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A scratch folder for one benchmark: in memory (/dev/shm) where there is one, so the batch figures
 * (costs, ratios, CPU) are not slowed by a busy disk's fsyncs; the system temp folder otherwise.
 */
export function benchTempDir(prefix: string): string {
  let root = tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    root = '/dev/shm';
  } catch {
    // no in-memory file system: the system temp folder
  }
  return mkdtempSync(join(root, prefix));
}
