import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFileKind, isNotFound } from '../fsFailure';
import { UnexpectedFileKindError } from './regularFile';
import { asStoragePathError, StoragePathError } from './storageErrors';
import { batchesDir, budgetAlertsFile, cacheDir, ledgerDir, ledgerFile, metricsFile, monthOf } from './storagePaths';

/**
 * Proves, before a batch starts, that what Flotilla keeps in storage has the shape it will need:
 * `batches/`, `ledger/`, `cache/`, `worktrees/` are folders (or absent), and the month's ledger file,
 * `metrics.json` and the budget alerts are files (or absent). Found later, a wrong shape would stop
 * the batch after it had paid for calls it could not record; found here, nothing was spent or written.
 */
export async function checkStorageLayout(storage: string, globalStorage: string, now: number = Date.now()): Promise<void> {
  const expected: readonly (readonly [string, 'folder' | 'file'])[] = [
    [batchesDir(storage), 'folder'],
    [cacheDir(storage), 'folder'],
    [join(storage, 'worktrees'), 'folder'],
    [metricsFile(storage), 'file'],
    [ledgerDir(globalStorage), 'folder'],
    [ledgerFile(globalStorage, monthOf(now)), 'file'],
    [budgetAlertsFile(globalStorage), 'file'],
  ];
  for (const [path, kind] of expected) {
    let info: Stats;
    try {
      info = await stat(path);
    } catch (error) {
      if (isNotFound(error)) continue;
      throw asStoragePathError(error, path);
    }
    if (kind === 'folder' && !info.isDirectory()) throw new StoragePathError(path, 'ENOTDIR');
    if (kind === 'file' && info.isDirectory()) throw new StoragePathError(path, 'EISDIR');
    // A FIFO would block the first read or append forever; a socket or device is no place for a record.
    if (kind === 'file' && !info.isFile()) throw new UnexpectedFileKindError(path, describeFileKind(info), 'Move it away (Flotilla keeps a file there), or choose another storage folder.');
  }
}
