import { join } from 'node:path';
import { InvalidBatchIdError } from './storageErrors';

/**
 * Where things live (ARCHITECTURE.md, "Where things live at run time"). The ledger sits in global
 * storage so the monthly budget spans every workspace; the rest sits in workspace storage. The CLI
 * passes the same folder for both.
 */
export const ledgerDir = (globalStorage: string): string => join(globalStorage, 'ledger');
export const ledgerFile = (globalStorage: string, month: string): string => join(ledgerDir(globalStorage), `${month}.jsonl`);
export const batchesDir = (storage: string): string => join(storage, 'batches');
export const cacheDir = (storage: string): string => join(storage, 'cache');
export const metricsFile = (storage: string): string => join(storage, 'metrics.json');
export const budgetAlertsFile = (globalStorage: string): string => join(globalStorage, 'budget-alerts.json');

const SAFE_ID = /^[A-Za-z0-9._-]+$/;

export function batchDir(storage: string, batchId: string): string {
  if (!SAFE_ID.test(batchId) || batchId === '.' || batchId === '..') throw new InvalidBatchIdError(batchId);
  return join(batchesDir(storage), batchId);
}

export const batchStateFile = (storage: string, batchId: string): string => join(batchDir(storage, batchId), 'state.json');

const MONTH_FILE = /^(\d{4}-\d{2})\.jsonl$/;

/** `YYYY-MM` of a ledger file name, or null for anything else in the folder. */
export function monthOfLedgerFile(name: string): string | null {
  return MONTH_FILE.exec(name)?.[1] ?? null;
}

/**
 * The UTC month (`YYYY-MM`) of an ISO timestamp. Records are filed by their own `ts`, never by the
 * wall clock at write time, so a clock that jumps cannot put a record into the wrong month's file.
 */
export function monthOf(ts: string | number): string {
  const date = new Date(ts);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a timestamp: ${String(ts)}`);
  return date.toISOString().slice(0, 7);
}
