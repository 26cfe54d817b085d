import type { GitCallOptions, GitClient } from './gitClient';

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'typeChanged' | 'unmerged' | 'unknown';

export interface NameStatusEntry {
  readonly status: ChangeStatus;
  readonly path: string;
  /** The source path of a rename or copy. */
  readonly oldPath?: string;
  /** Rename/copy similarity, 0–100. */
  readonly similarity?: number;
}

export interface NumstatEntry {
  readonly path: string;
  readonly oldPath?: string;
  /** Null for binary files, which git does not count in lines. */
  readonly added: number | null;
  readonly deleted: number | null;
}

/**
 * The range a diff covers: `from` is a commit; `to` is a commit, or omitted for the working tree
 * (tracked files only — commit first to include new files).
 */
export interface DiffRange {
  readonly from: string;
  readonly to?: string;
  /** Limit to these paths (pathspecs relative to the repository root). */
  readonly paths?: readonly string[];
}

// Fixed flags so config (diff.noprefix, color.ui) cannot change the format, and no external diff or
// textconv program runs: a .gitattributes the worker wrote picks which configured driver applies.
const DIFF_FLAGS = ['--no-color', '--no-ext-diff', '--no-textconv', '--find-renames'];

function rangeArgs(range: DiffRange): string[] {
  const revs = range.to === undefined ? [range.from] : [range.from, range.to];
  return [...revs, '--', ...(range.paths ?? [])];
}

export async function diffNameStatus(git: GitClient, cwd: string, range: DiffRange, call?: GitCallOptions): Promise<NameStatusEntry[]> {
  const out = await git.run(cwd, ['diff', ...DIFF_FLAGS, '--name-status', '-z', ...rangeArgs(range)], call);
  return parseNameStatus(out.stdout);
}

export async function diffNumstat(git: GitClient, cwd: string, range: DiffRange, call?: GitCallOptions): Promise<NumstatEntry[]> {
  const out = await git.run(cwd, ['diff', ...DIFF_FLAGS, '--numstat', '-z', ...rangeArgs(range)], call);
  return parseNumstat(out.stdout);
}

export async function diffUnified(git: GitClient, cwd: string, range: DiffRange, contextLines = 3, call?: GitCallOptions): Promise<string> {
  const out = await git.run(cwd, ['diff', ...DIFF_FLAGS, '--src-prefix=a/', '--dst-prefix=b/', `--unified=${contextLines}`, ...rangeArgs(range)], call);
  return out.stdout;
}

export interface DiffWithCounts {
  readonly statuses: NameStatusEntry[];
  readonly counts: NumstatEntry[];
  /** The same text diffUnified gives. */
  readonly unified: string;
}

/**
 * Name-status, numstat and the unified diff from one git process (`--raw --numstat -p -z`) instead of
 * three: starting a process costs the parent several ms of system time, and the review reads all three.
 */
export async function diffWithCounts(git: GitClient, cwd: string, range: DiffRange, contextLines = 3, call?: GitCallOptions): Promise<DiffWithCounts> {
  const out = await git.run(cwd, ['diff', ...DIFF_FLAGS, '--raw', '--numstat', '-z', '-p', '--src-prefix=a/', '--dst-prefix=b/', `--unified=${contextLines}`, ...rangeArgs(range)], call);
  return parseDiffWithCounts(out.stdout);
}

/**
 * `--raw --numstat -p -z` prints the raw records (`:modes hashes STATUS\0path\0`, two paths for a
 * rename or copy), then the numstat records, then one NUL as the separator line and the patch. No
 * record ends in an empty field, so the first `\0\0` is that separator; no change prints nothing.
 */
export function parseDiffWithCounts(output: string): DiffWithCounts {
  const separator = output.indexOf('\0\0');
  const summary = separator === -1 ? output : output.slice(0, separator + 1);
  const fields = summary.split('\0');
  // A raw record is its name-status record with the modes and hashes in front of the status.
  const nameStatus: string[] = [];
  let i = 0;
  while (i < fields.length && (fields[i] ?? '').startsWith(':')) {
    const header = fields[i] ?? '';
    const status = header.slice(header.lastIndexOf(' ') + 1);
    const pathCount = status.startsWith('R') || status.startsWith('C') ? 2 : 1;
    nameStatus.push(status, ...fields.slice(i + 1, i + 1 + pathCount));
    i += 1 + pathCount;
  }
  return {
    statuses: parseNameStatus(nameStatus.join('\0')),
    counts: parseNumstat(fields.slice(i).join('\0')),
    unified: separator === -1 ? '' : output.slice(separator + 2),
  };
}

/** `--name-status -z`: `X\0path\0`, or `R100\0old\0new\0` for renames and copies. */
export function parseNameStatus(output: string): NameStatusEntry[] {
  const fields = output.split('\0');
  const entries: NameStatusEntry[] = [];
  let i = 0;
  while (i < fields.length) {
    const code = fields[i] ?? '';
    i++;
    if (code === '') continue;
    const letter = code[0] ?? '';
    const status = STATUS_LETTERS[letter] ?? 'unknown';
    if (letter === 'R' || letter === 'C') {
      const oldPath = fields[i] ?? '';
      const path = fields[i + 1] ?? '';
      i += 2;
      entries.push({ status, path, oldPath, similarity: Number(code.slice(1)) || 0 });
    } else {
      entries.push({ status, path: fields[i] ?? '' });
      i++;
    }
  }
  return entries;
}

const STATUS_LETTERS: Record<string, ChangeStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'typeChanged',
  U: 'unmerged',
};

/** `--numstat -z`: `added\tdeleted\tpath\0`, or `added\tdeleted\t\0old\0new\0` for renames. */
export function parseNumstat(output: string): NumstatEntry[] {
  const fields = output.split('\0');
  const entries: NumstatEntry[] = [];
  let i = 0;
  while (i < fields.length) {
    const field = fields[i] ?? '';
    i++;
    if (field === '') continue;
    const [addedText = '', deletedText = '', inlinePath = ''] = field.split('\t');
    const added = addedText === '-' ? null : Number(addedText);
    const deleted = deletedText === '-' ? null : Number(deletedText);
    if (inlinePath === '') {
      entries.push({ path: fields[i + 1] ?? '', oldPath: fields[i] ?? '', added, deleted });
      i += 2;
    } else {
      entries.push({ path: inlinePath, added, deleted });
    }
  }
  return entries;
}
