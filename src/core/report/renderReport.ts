import { stringify } from 'yaml';
import { renderMarkdown } from './renderMarkdown';
import { UnknownReportFormatError } from './reportErrors';
import type { Report } from './reportModel';

export const REPORT_FORMATS = ['md', 'json', 'csv', 'yaml'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function parseReportFormat(text: string): ReportFormat {
  const format = REPORT_FORMATS.find((f) => f === text.toLowerCase());
  if (format === undefined) throw new UnknownReportFormatError(text);
  return format;
}

export const REPORT_EXTENSIONS: Readonly<Record<ReportFormat, string>> = { md: 'md', json: 'json', csv: 'csv', yaml: 'yaml' };

const CSV_HEAD = ['batch', 'ticket', 'title', 'class', 'score', 'tier_path', 'model', 'status', 'tokens', 'cost_usd', 'fix_loops', 'escalations', 'review_level', 'review_result', 'findings', 'gates', 'branch', 'lifecycle'];

/** RFC 4180: quote fields with a comma, quote or line break; double the quotes. A leading =+-@ is defused for spreadsheets. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per ticket of the batch (the comparison and metrics are in the other formats). */
export function renderCsv(report: Report): string {
  const b = report.batch;
  const rows = b.tickets.map((t) => [b.id, t.id, t.title, t.complexityClass, t.score, t.tierPath.join('>'), t.model, t.status, t.tokens, t.costUsd, t.fixLoops, t.escalations, t.reviewLevel, t.reviewResult, t.findings, t.gates.join('; '), t.branch, t.lifecycle]);
  return [CSV_HEAD, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(report);
    case 'csv':
      return renderCsv(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'yaml':
      return stringify(report, { lineWidth: 0 });
  }
}
