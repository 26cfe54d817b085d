import { randomBytes } from 'node:crypto';

/** b20261121-131210-e266: sorts by start time, unique enough for one storage folder, safe in paths and branch names. */
export function newBatchId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `b${stamp}-${randomBytes(2).toString('hex')}`;
}
