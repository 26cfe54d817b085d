import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadReport } from '../core/report/loadReport';
import { ReportError } from '../core/report/reportErrors';
import { parseReportFormat, renderReport } from '../core/report/renderReport';
import type { CliIo } from './cliIo';
import { EXIT, UsageError } from './usageError';

/**
 * `flotilla report --storage DIR [--batch ID] [--format md|json|csv|yaml]`: the report of one batch
 * (default: the newest) on stdout. An unknown format or batch exits 2 with a one-line reason and
 * prints nothing on stdout.
 */
export async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { storage: { type: 'string' }, batch: { type: 'string' }, format: { type: 'string' } }, strict: true, allowPositionals: false });
  const storage = resolve(values.storage ?? join(homedir(), '.flotilla'));
  try {
    const format = parseReportFormat(values.format ?? 'md');
    const report = await loadReport({ storage, globalStorage: storage, ...(values.batch !== undefined ? { batchId: values.batch } : {}) });
    io.out(renderReport(report, format).replace(/\r?\n$/, ''));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ReportError) throw new UsageError(error.message);
    throw error;
  }
}
