/** Typed failures of report building; the CLI maps them to exit 2 and the extension to a message. */
export abstract class ReportError extends Error {}

export class NoBatchesError extends ReportError {
  override readonly name = 'NoBatchesError';
  constructor(readonly storage: string) {
    super(`no batches in ${storage}; run a batch first (flotilla run or the Run Batch command)`);
  }
}

export class UnknownBatchError extends ReportError {
  override readonly name = 'UnknownBatchError';
  constructor(
    readonly batchId: string,
    readonly known: readonly string[],
  ) {
    super(`unknown batch "${batchId}"${known.length > 0 ? ` (batches: ${known.slice(0, 5).join(', ')}${known.length > 5 ? ', …' : ''})` : ''}`);
  }
}

export class UnknownReportFormatError extends ReportError {
  override readonly name = 'UnknownReportFormatError';
  constructor(readonly format: string) {
    super(`unknown report format "${format}" (md, json, csv or yaml)`);
  }
}
