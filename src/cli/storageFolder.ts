import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `--storage DIR`, default `~/.flotilla` (ARCHITECTURE.md): batches, worktrees, cache and the ledger. */
export function storageFolder(option: string | undefined): string {
  return resolve(option ?? join(homedir(), '.flotilla'));
}
