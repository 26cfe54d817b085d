import type { StoredFinding } from '../store/storedReview';

/** Where one finding's comment thread goes and what it says; rendering is left to the VS Code side. */
export interface ThreadPlacement {
  /** A path of the change (repository relative) to attach the thread to. */
  readonly file: string;
  /** Zero-based line; 0 for file-level threads. */
  readonly line: number;
  readonly fileLevel: boolean;
  /** e.g. "T2 · warning". */
  readonly label: string;
  readonly severity: StoredFinding['severity'];
  readonly source: StoredFinding['source'];
  readonly message: string;
  /** Why the thread is not where the finding pointed, for the user to know what it is about. */
  readonly note?: string;
}

/**
 * One thread per finding. A finding on a changed line sits on that line; a line outside the changed
 * hunks goes to the top of its file; a file outside the change goes to the top of the first changed
 * file, naming the file it meant. Nothing is dropped: a reviewer citing the wrong line has usually
 * still found something. The stored flags are checked against the files the diff has now, since a
 * per-file reject can take a file out after the review ran.
 */
export function placeThreads(findings: readonly StoredFinding[], changedFiles: readonly string[]): ThreadPlacement[] {
  const changed = new Set(changedFiles);
  const first = changedFiles[0];
  return findings.flatMap((finding): ThreadPlacement[] => {
    const common = { label: `${finding.source} · ${finding.severity}`, severity: finding.severity, source: finding.source, message: finding.message };
    if (changed.has(finding.file)) {
      if (finding.inDiff && finding.line !== null) return [{ ...common, file: finding.file, line: finding.line - 1, fileLevel: false }];
      const note = finding.line === null ? undefined : `line ${finding.line} is outside the changed lines`;
      return [{ ...common, file: finding.file, line: 0, fileLevel: true, ...(note ? { note } : {}) }];
    }
    if (first === undefined) return [];
    const where = finding.line === null ? finding.file : `${finding.file}:${finding.line}`;
    return [{ ...common, file: first, line: 0, fileLevel: true, note: `about ${where}, which this change does not touch` }];
  });
}
