import { z } from 'zod';
import { parseUnifiedDiff, type DiffSummary, type HunkRange } from './diffSummary';

export const SEVERITIES = ['info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One finding as a review model reports it. A missing line means the finding is about the whole file. */
export const findingSchema = z.object({
  file: z.string().trim().min(1, 'file must name the changed file the finding is about'),
  line: z
    .number()
    .int()
    .positive()
    .nullish()
    .transform((line) => line ?? null),
  severity: z.enum(SEVERITIES),
  message: z.string().trim().min(1, 'message must say what is wrong'),
});
export type Finding = z.infer<typeof findingSchema>;

/** What every review call must return (reviewers, the judge and the cache alike). */
export const reviewOutputSchema = z.object({
  verdict: z.enum(['PASS', 'FAIL']),
  findings: z.array(findingSchema).default([]),
  summary: z.string().optional(),
});
export type ReviewOutput = z.infer<typeof reviewOutputSchema>;

/** Which review produced a finding. */
export type FindingSource = 'T1' | 'T2' | 'T3';

export interface PlacedFinding extends Finding {
  readonly source: FindingSource;
  /**
   * True when the finding points into the diff: a changed file, and a line inside one of its hunks
   * (or no line). False findings are kept and shown at file level — a model citing the wrong line
   * has usually still found something.
   */
  readonly inDiff: boolean;
  /** Whether the file itself is part of the change (a finding about an unchanged file is still kept). */
  readonly fileInDiff: boolean;
}

/** The changed files and the new-side line ranges of their hunks. */
export class DiffIndex {
  private readonly hunks = new Map<string, readonly HunkRange[]>();

  constructor(diff: DiffSummary) {
    for (const file of diff.files) {
      this.hunks.set(file.path, []);
      if (file.oldPath !== undefined) this.hunks.set(file.oldPath, []);
    }
    for (const file of parseUnifiedDiff(diff.unified)) this.hunks.set(file.path, file.hunks);
  }

  hasFile(path: string): boolean {
    return this.hunks.has(path);
  }

  /** The path as the diff spells it: models often copy `b/src/x.ts` or `./src/x.ts` from what they read. */
  normalise(path: string): string {
    const plain = path.trim().replace(/\\/g, '/').replace(/^\.\//, '');
    if (this.hasFile(plain)) return plain;
    const unprefixed = plain.replace(/^(a|b)\//, '').replace(/^\/+/, '');
    return this.hasFile(unprefixed) ? unprefixed : plain;
  }

  containsLine(path: string, line: number): boolean {
    return (this.hunks.get(path) ?? []).some((h) => line >= h.start && line < h.start + h.count);
  }
}

export function placeFindings(findings: readonly Finding[], index: DiffIndex, source: FindingSource): PlacedFinding[] {
  return findings.map((finding) => {
    const file = index.normalise(finding.file);
    const fileInDiff = index.hasFile(file);
    const inDiff = fileInDiff && (finding.line === null || index.containsLine(file, finding.line));
    return { ...finding, file, source, inDiff, fileInDiff };
  });
}

/** Drops exact repeats (same file, line, severity and message, ignoring case and spacing) across reviews. */
export function dedupeFindings(findings: readonly PlacedFinding[]): PlacedFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = JSON.stringify([f.file, f.line, f.severity, f.message.toLowerCase().replace(/\s+/g, ' ')]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
