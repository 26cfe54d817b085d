import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hasFsCode } from '../fsFailure';
import { silentLogger, type Logger } from '../logger';
import { parseLedgerEntry, type LedgerEntry } from '../llm/reservationRecord';
import { redactSecrets } from '../redactSecrets';
import { InvalidUsageRecordError, StorageNotWritableError } from './storageErrors';
import { ledgerFile, monthOf } from './storagePaths';

export interface UsageLedgerOptions {
  /** Global storage folder; the ledger goes to `<globalStorage>/ledger/YYYY-MM.jsonl`. */
  globalStorage: string;
  logger?: Logger;
  /** Upper bound of one grouped write; large enough for thousands of records. */
  maxGroupBytes?: number;
}

interface Pending {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The append-only usage ledger: one JSON line per model call (and one reservation line before each
 * call is sent), filed by the month of the record's own `ts` (UTC). `append` resolves only after the
 * line is on disk (fdatasync), so a caller that awaits it never uses a result the ledger does not hold.
 *
 * Why lines never interleave, across windows, workers and CLI processes: every file is opened with
 * O_APPEND and each group of whole lines goes out in ONE write(2). On a local POSIX file system
 * (ext4, xfs, btrfs, apfs) an O_APPEND write moves to end-of-file and writes under the inode lock, so
 * concurrent writers' lines land one after the other, never inside each other. That is NOT promised
 * on network file systems (NFS, SMB): storage folders there may interleave under concurrent writers;
 * the reader then reports the damaged lines and skips them rather than failing.
 *
 * Within this process concurrent appends are group-committed: lines queued while a write+fsync is in
 * flight go out together in the next write, so N workers pay one fsync per group, not one each.
 */
export class UsageLedger {
  private readonly files = new Map<string, MonthAppender>();
  private readonly logger: Logger;
  private readonly maxGroupBytes: number;

  constructor(private readonly options: UsageLedgerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.maxGroupBytes = options.maxGroupBytes ?? 1 << 20;
  }

  /**
   * Validates and durably appends one usage or reservation record. Rejects with a typed error; never
   * writes half a line. A reservation goes through the same group commit, so a call's reservation is
   * on disk before the call is sent at the price of one more fsync (shared with concurrent calls).
   */
  append(record: LedgerEntry): Promise<void> {
    const parsed = parseLedgerEntry(record);
    if (!parsed.success) {
      return Promise.reject(new InvalidUsageRecordError(`Refusing to write an invalid usage record: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
    }
    const path = ledgerFile(this.options.globalStorage, monthOf(parsed.data.ts));
    let appender = this.files.get(path);
    if (appender === undefined) {
      appender = new MonthAppender(path, this.logger, this.maxGroupBytes);
      this.files.set(path, appender);
    }
    return appender.append(`${redactSecrets(JSON.stringify(parsed.data))}\n`);
  }

  /** Waits for queued appends and closes the files. Appends after close reopen them. */
  async close(): Promise<void> {
    const appenders = [...this.files.values()];
    this.files.clear();
    await Promise.all(appenders.map((a) => a.close()));
  }
}

class MonthAppender {
  private handle: FileHandle | null = null;
  private pending: Pending[] = [];
  private draining: Promise<void> | null = null;
  /** Set when the file ended in a torn line (no `\n`): the next write starts with one. */
  private needsNewline = false;

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    private readonly maxGroupBytes: number,
  ) {}

  append(line: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      // drain() clears `draining` in the same tick it finds the queue empty, so no line is stranded.
      this.draining ??= this.drain();
    });
  }

  async close(): Promise<void> {
    await this.draining;
    const handle = this.handle;
    this.handle = null;
    await handle?.close();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.takeGroup();
        try {
          await this.writeGroup(group.map((p) => p.line).join(''));
          for (const p of group) p.resolve();
        } catch (error) {
          // Reopen next time: the tail check runs again, so a partial write is fenced off by a newline.
          await this.handle?.close().catch(() => undefined);
          this.handle = null;
          const typed = isPermissionOrSpace(error) ? new StorageNotWritableError(dirname(this.path), error) : error;
          for (const p of group) p.reject(typed);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private takeGroup(): Pending[] {
    let bytes = 0;
    let count = 0;
    while (count < this.pending.length) {
      const size = Buffer.byteLength(this.pending[count]!.line);
      if (count > 0 && bytes + size > this.maxGroupBytes) break;
      bytes += size;
      count++;
    }
    return this.pending.splice(0, count);
  }

  private async writeGroup(text: string): Promise<void> {
    const handle = await this.open();
    const buffer = Buffer.from(this.needsNewline ? `\n${text}` : text, 'utf8');
    const { bytesWritten } = await handle.write(buffer, 0, buffer.length);
    if (bytesWritten !== buffer.length) {
      // A short write to a regular file means the disk is full or a quota was hit. The torn piece is
      // cut off again when it is still the file's end; else (another writer appended after it) it is fenced off.
      this.needsNewline = !(await cutTornTail(handle, buffer.subarray(0, bytesWritten)));
      throw Object.assign(new Error(`Short write to ${this.path}: ${bytesWritten} of ${buffer.length} bytes`), { code: 'ENOSPC', path: this.path });
    }
    this.needsNewline = false;
    await handle.datasync();
  }

  private async open(): Promise<FileHandle> {
    if (this.handle !== null) return this.handle;
    await mkdir(dirname(this.path), { recursive: true });
    // 'a+' is O_APPEND|O_CREAT|O_RDWR: appends always go to the end, and we may read the last byte.
    const handle = await open(this.path, 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          this.needsNewline = true;
          this.logger.warn(`${this.path} ends in a torn line (a writer stopped mid-line); it is skipped on read and fenced off before the next record.`);
        }
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
    return handle;
  }
}

export function isPermissionOrSpace(error: unknown): boolean {
  // ENOTDIR: a file sits where the storage folder should be; the fix is the same (another folder).
  return hasFsCode(error, 'EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR');
}

/**
 * Removes `written` from the end of the file when the file still ends with it (nobody appended
 * since): shrinking a file needs no free space, so a full disk leaves no torn line. Whether it did.
 */
async function cutTornTail(handle: FileHandle, written: Buffer): Promise<boolean> {
  if (written.length === 0) return true;
  try {
    const { size } = await handle.stat();
    const tail = Buffer.alloc(written.length);
    const { bytesRead } = await handle.read(tail, 0, written.length, size - written.length);
    if (bytesRead !== written.length || !tail.equals(written)) return false;
    await handle.truncate(size - written.length);
    return true;
  } catch {
    return false;
  }
}
