import type { ChangeStatus } from '../git/diff';

/** One changed file, as name-status and numstat describe it. */
export interface DiffFileChange {
  readonly path: string;
  /** The source path of a rename or copy. */
  readonly oldPath?: string;
  readonly status: ChangeStatus;
  /** Null for binary files, which git does not count in lines. */
  readonly added: number | null;
  readonly deleted: number | null;
}

/**
 * What the review reads about a ticket's change: the file list with line counts and the unified diff
 * text. Built from git by diffSummaryFromGit; plain data so risk scoring stays pure and testable.
 */
export interface DiffSummary {
  readonly files: readonly DiffFileChange[];
  readonly unified: string;
}

/** A hunk's range in the new version of a file (`@@ -a,b +start,count @@`). */
export interface HunkRange {
  readonly start: number;
  readonly count: number;
}

/** The unified diff of one file, split into what the risk signals and finding placement need. */
export interface FileDiff {
  /** The new path; the old one for a deleted file. */
  readonly path: string;
  readonly hunks: readonly HunkRange[];
  readonly addedLines: readonly string[];
  readonly removedLines: readonly string[];
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

/**
 * Splits `git diff` output per file. Paths come from the `---`/`+++` lines (with the a/ b/ prefixes
 * diffUnified forces); a file with no text hunks (binary, mode-only) falls back to its `diff --git`
 * header so it still appears.
 */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const files: { path: string; hunks: HunkRange[]; addedLines: string[]; removedLines: string[] }[] = [];
  let current: (typeof files)[number] | undefined;
  let oldPath: string | null = null;
  let inHunk = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('diff --git ')) {
      current = { path: headerPath(line), hunks: [], addedLines: [], removedLines: [] };
      files.push(current);
      oldPath = null;
      inHunk = false;
    } else if (current === undefined) {
      continue;
    } else if (!inHunk && line.startsWith('--- ')) {
      oldPath = stripPrefix(unquote(line.slice(4)), 'a/');
    } else if (!inHunk && line.startsWith('+++ ')) {
      const newPath = stripPrefix(unquote(line.slice(4)), 'b/');
      current.path = newPath === null ? (oldPath ?? current.path) : newPath;
    } else if (line.startsWith('@@')) {
      const match = HUNK_HEADER.exec(line);
      if (match) current.hunks.push({ start: Number(match[1]), count: match[2] === undefined ? 1 : Number(match[2]) });
      inHunk = match !== null;
    } else if (inHunk && line.startsWith('+')) {
      current.addedLines.push(line.slice(1));
    } else if (inHunk && line.startsWith('-')) {
      current.removedLines.push(line.slice(1));
    }
  }
  return files;
}

/** `diff --git a/x b/x` → `x`. Ambiguous for paths with " b/" in them, so the +++ line wins when present. */
function headerPath(line: string): string {
  const rest = line.slice('diff --git '.length);
  const split = rest.lastIndexOf(' b/');
  return split < 0 ? rest : rest.slice(split + 3);
}

/** Null for /dev/null (an added or deleted file's missing side). */
function stripPrefix(path: string, prefix: string): string | null {
  if (path === '/dev/null') return null;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', '"': '"', '\\': '\\' };

/** git quotes paths with unusual characters C-style: "b/na\"me". Octal escapes are left as they are. */
function unquote(path: string): string {
  const trimmed = path.replace(/\t$/, '');
  if (!trimmed.startsWith('"') || !trimmed.endsWith('"')) return trimmed;
  return trimmed.slice(1, -1).replace(/\\(.)/g, (whole, ch: string) => C_ESCAPES[ch] ?? whole);
}
