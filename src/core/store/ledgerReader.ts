import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isReservation, parseLedgerEntry, type LedgerEntry, type ReservationRecord } from '../llm/reservationRecord';
import { USAGE_RECORD_VERSION, type UsageRecord } from '../llm/usageRecord';
import { isNotFound } from './atomicJson';
import { OpenReservations, type UnknownOutcomes } from './openReservations';
import { openRegularFile, UnexpectedFileKindError } from './regularFile';
import { asStoragePathError, StoragePathError } from './storageErrors';
import type { StoreProblem } from './storeProblem';
import { ledgerDir, monthOf, monthOfLedgerFile } from './storagePaths';

export interface LedgerScan {
  readonly files: number;
  /** Usage records (reservation records are not counted). */
  readonly records: number;
  /** Lines that were skipped, with file:line and why. */
  readonly problems: readonly StoreProblem[];
}

export interface LedgerReadOptions {
  /** Inclusive `YYYY-MM` bounds on the file's month; absent = every month. */
  readonly fromMonth?: string;
  readonly toMonth?: string;
  /**
   * Reservation records (written before a call is sent, closed by the usage record with their id):
   * readers that count spend take them here; without it they are passed over (not a problem).
   */
  readonly onReservation?: (reservation: ReservationRecord) => void;
}

/** The months that have a ledger file, oldest first. */
export async function listLedgerMonths(globalStorage: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(ledgerDir(globalStorage));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw asStoragePathError(error, ledgerDir(globalStorage));
  }
  return names.flatMap((n) => monthOfLedgerFile(n) ?? []).sort();
}

/**
 * Streams every valid record of the ledger (oldest month first) into `visit`. Lines that are not
 * JSON, fail the schema, or are a torn last line are reported and skipped: a hand-edited or damaged
 * ledger costs the bad lines, never the rest.
 */
export async function foldLedger(globalStorage: string, visit: (record: UsageRecord) => void, options: LedgerReadOptions = {}): Promise<LedgerScan> {
  const months = (await listLedgerMonths(globalStorage)).filter(
    (m) => (options.fromMonth === undefined || m >= options.fromMonth) && (options.toMonth === undefined || m <= options.toMonth),
  );
  let records = 0;
  const problems: StoreProblem[] = [];
  for (const month of months) {
    const scan = await readLedgerFile(join(ledgerDir(globalStorage), `${month}.jsonl`), visit, options.onReservation);
    records += scan.records;
    problems.push(...scan.problems);
  }
  return { files: months.length, records, problems };
}

/** Reads one ledger file line by line (constant memory, whatever its size). */
export async function readLedgerFile(path: string, visit: (record: UsageRecord) => void, onReservation?: (reservation: ReservationRecord) => void): Promise<LedgerScan> {
  const problems: StoreProblem[] = [];
  let records = 0;
  let lineNo = 0;
  const take = (line: string): void => {
    lineNo++;
    if (line.trim() === '') return; // a fence newline written after a torn line
    const result = parseLedgerLine(line);
    if (!result.ok) {
      problems.push({ file: path, line: lineNo, message: result.message });
    } else if (isReservation(result.record)) {
      onReservation?.(result.record);
    } else {
      records++;
      visit(result.record);
    }
  };
  let rest = '';
  try {
    // Opened first, without blocking, so a FIFO (or a folder) in the ledger's place is named, not waited on.
    const handle = await openRegularFile(path, 'Move it away (Flotilla keeps the month’s ledger file there), or choose another storage folder.', { followLinks: true });
    if (handle === undefined) return { files: 0, records: 0, problems: [] };
    // The utf8 decoder of the stream keeps a multi-byte character split across chunks intact.
    for await (const chunk of createReadStream(path, { fd: handle, encoding: 'utf8', highWaterMark: 1 << 16 })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        take(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if (UnexpectedFileKindError.is(error) && error.kind === 'a folder') throw new StoragePathError(path, 'EISDIR', error);
    // A read stream's errors do not always say which path; the error does now.
    throw asStoragePathError(error, path);
  }
  if (rest !== '') {
    lineNo++;
    problems.push({ file: path, line: lineNo, message: 'torn last line (no newline: a writer stopped mid-line); skipped' });
  }
  return { files: 1, records, problems };
}

type LineResult = { ok: true; record: LedgerEntry } | { ok: false; message: string };

export function parseLedgerLine(line: string): LineResult {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, message: 'not valid JSON; skipped' };
  }
  const parsed = parseLedgerEntry(json);
  if (parsed.success) return { ok: true, record: parsed.data };
  const version = typeof json === 'object' && json !== null && 'v' in json ? json.v : undefined;
  if (typeof version === 'number' && version > USAGE_RECORD_VERSION) {
    return { ok: false, message: `record version ${version} is newer than this Flotilla reads (${USAGE_RECORD_VERSION}); skipped` };
  }
  const issue = parsed.error.issues[0];
  return { ok: false, message: `not a usage record (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}); skipped` };
}

export interface MonthSpend {
  readonly month: string;
  /** Recorded spend plus the worst cases of the month's calls whose outcome is unknown (`unknown`). */
  readonly spentUsd: number;
  /** Calls of the month whose reservation no usage record closed (a process killed during the call). */
  readonly unknown: UnknownOutcomes;
  /** Calls with no known price: their cost is unknown, not zero. */
  readonly unpricedCalls: number;
  readonly problems: readonly StoreProblem[];
}

/**
 * Month-to-date spend for the budget: the month's file, counted by each record's own `ts` (the writer
 * files by `ts`, so only a hand-moved line could disagree; it is then not counted in this month).
 * Cache hits cost nothing and are left out. A call whose reservation is still open counts at its
 * worst case, as the budget guard holds it (later months are read too: a call reserved on the last
 * evening of the month may have been closed after midnight).
 */
export async function monthSpend(globalStorage: string, month: string): Promise<MonthSpend> {
  let recordedUsd = 0;
  let unpricedCalls = 0;
  const open = new OpenReservations();
  const scan = await foldLedger(
    globalStorage,
    (r) => {
      open.add(r);
      // Cache hits and simulated calls cost nothing: they are not month spend.
      if (r.cached || r.simulated || !isInMonth(r.ts, month)) return;
      if (r.costUsd === null) unpricedCalls++;
      else recordedUsd += r.costUsd;
    },
    { fromMonth: month, onReservation: (r) => open.add(r) },
  );
  const unknown = open.summary((r) => !r.simulated && isInMonth(r.ts, month));
  return { month, spentUsd: recordedUsd + unknown.atMostUsd, unknown, unpricedCalls: unpricedCalls + unknown.unpricedCalls, problems: scan.problems };
}

function monthOfOrUndefined(ts: string): string | undefined {
  try {
    return monthOf(ts);
  } catch {
    return undefined;
  }
}

function isInMonth(ts: string, month: string): boolean {
  return monthOfOrUndefined(ts) === month;
}

/**
 * The calls of one batch whose outcome is unknown (open reservations), for its status; `since` (the
 * batch's creation time) skips the months before it.
 */
export async function batchUnknownOutcomes(globalStorage: string, batchId: string, since?: string): Promise<{ unknown: UnknownOutcomes; problems: readonly StoreProblem[] }> {
  const open = new OpenReservations();
  const fromMonth = since === undefined ? undefined : monthOfOrUndefined(since);
  const scan = await foldLedger(globalStorage, (r) => open.add(r), { onReservation: (r) => open.add(r), ...(fromMonth === undefined ? {} : { fromMonth }) });
  return { unknown: open.summary((r) => r.batchId === batchId), problems: scan.problems };
}
