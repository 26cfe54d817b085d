import { describeFsCode, fsFailureOf, isEnvironmentCode } from '../fsFailure';

/**
 * Typed failures of the store. Callers branch on the class, never on message text, and show
 * `nextStep` as the action on the notification (or the CLI's hint line).
 */
export abstract class StoreError extends Error {
  abstract readonly nextStep: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** The storage folder cannot be written: a batch must not start, since nothing it did would be kept. */
export class StorageNotWritableError extends StoreError {
  readonly nextStep: string;

  constructor(
    readonly path: string,
    cause?: unknown,
  ) {
    const failure = fsFailureOf(cause);
    const why = failure ? `: ${failure.path !== undefined && failure.path !== path ? `${failure.path}: ` : ''}${describeFsCode(failure.code)}` : '';
    super(`Flotilla cannot write to its storage folder ${path}${why}.`, { cause });
    this.nextStep =
      failure?.code === 'ENOTDIR' || failure?.code === 'EEXIST'
        ? 'Move the file that is in the way (storage must be a writable folder), or choose another storage folder.'
        : `Make ${path} writable (check its permissions and free space), or choose another storage folder.`;
  }
}

/** A batch id that is not a safe single path segment (it becomes a folder name). */
export class InvalidBatchIdError extends StoreError {
  readonly nextStep = 'Use letters, digits, dot, dash or underscore in batch ids.';

  constructor(readonly batchId: string) {
    super(`Batch id ${JSON.stringify(batchId)} cannot be used as a folder name.`);
  }
}

export class BatchNotFoundError extends StoreError {
  readonly nextStep = 'List the batches in storage and pick one that exists.';

  constructor(readonly batchId: string) {
    super(`No batch ${batchId} in storage.`);
  }
}

export class BatchExistsError extends StoreError {
  readonly nextStep = 'Pick a new batch id.';

  constructor(readonly batchId: string) {
    super(`Batch ${batchId} already exists.`);
  }
}

/** A record handed to the ledger that does not match the usage record schema: never written. */
export class InvalidUsageRecordError extends StoreError {
  readonly nextStep = 'This is a bug in Flotilla: open the log and report it.';
}

/**
 * A path inside the storage folder has the wrong shape or cannot be used: `batches` is a file, the
 * month's ledger file is a folder, the storage folder is `/dev/null`, no permission. Nothing was
 * changed; the message names the path and what is wrong with it.
 */
export class StoragePathError extends StoreError {
  readonly nextStep: string;

  constructor(
    readonly path: string,
    readonly code: string,
    cause?: unknown,
  ) {
    super(`${path}: ${describeFsCode(code)}.`, { cause });
    this.nextStep =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'Move the file that is in the way, or choose another storage folder (it must be a folder, or a path where one can be made).'
        : code === 'EISDIR'
          ? 'Move or rename that folder (Flotilla keeps a file there), or choose another storage folder.'
          : 'Fix the storage folder (permissions, free space, links), or choose another storage folder.';
  }
}

/**
 * Turns an operating-system error on a storage path into a StoragePathError naming `path` (Node does
 * not always say which path failed); anything else is returned unchanged for the caller to rethrow.
 */
export function asStoragePathError(error: unknown, path: string): unknown {
  const failure = fsFailureOf(error);
  return failure && isEnvironmentCode(failure.code) ? new StoragePathError(failure.path ?? path, failure.code, error) : error;
}
