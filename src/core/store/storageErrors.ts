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
    super(`Flotilla cannot write to its storage folder ${path}.`, { cause });
    this.nextStep = `Make ${path} writable (check its permissions and free space), or choose another storage folder.`;
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
