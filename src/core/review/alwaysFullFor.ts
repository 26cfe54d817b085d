import { parseUnifiedDiff, type DiffSummary } from './diffSummary';

/** Which `flotilla.review.alwaysFullFor` entry matched, and where. */
export interface AlwaysFullMatch {
  readonly entry: string;
  readonly matchedIn: 'path' | 'diff';
  /** The changed path that matched, or the file whose changed lines contain the word. */
  readonly path: string;
}

/**
 * Finds the first `alwaysFullFor` entry the change hits. An entry with glob characters (`*`, `?`)
 * is a path pattern (`**` crosses folders, `*` does not); any other entry matches a changed path
 * containing it or a changed line containing it as a whole word — both case-insensitive, so
 * "billing" catches src/Billing/ and a new `chargeBilling()` call alike.
 */
export function matchAlwaysFullFor(entries: readonly string[], diff: DiffSummary): AlwaysFullMatch | undefined {
  const wanted = entries.map((e) => e.trim()).filter((e) => e.length > 0);
  if (wanted.length === 0) return undefined;
  const paths = diff.files.flatMap((f) => (f.oldPath === undefined ? [f.path] : [f.path, f.oldPath]));
  const fileDiffs = parseUnifiedDiff(diff.unified);
  for (const entry of wanted) {
    const isGlob = /[*?]/.test(entry);
    const pathTest = isGlob ? globToRegExp(entry) : undefined;
    const byPath = paths.find((p) => (pathTest ? pathTest.test(p) : p.toLowerCase().includes(entry.toLowerCase())));
    if (byPath !== undefined) return { entry, matchedIn: 'path', path: byPath };
    if (isGlob) continue;
    const word = wordPattern(entry);
    const byLine = fileDiffs.find((f) => [...f.addedLines, ...f.removedLines].some((line) => word.test(line)));
    if (byLine) return { entry, matchedIn: 'diff', path: byLine.path };
  }
  return undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `src/**\/auth/*.ts` → a whole-path, case-insensitive pattern; a pattern without a slash matches the base name at any depth. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob.charAt(i);
    if (ch === '*' && glob.charAt(i + 1) === '*') {
      const slashAfter = glob.charAt(i + 2) === '/';
      source += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (ch === '*') {
      source += '[^/]*';
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += escapeRegExp(ch);
    }
  }
  const anchor = glob.includes('/') ? '^' : '(?:^|/)';
  return new RegExp(`${anchor}${source}$`, 'i');
}

/** Whole word where the entry starts and ends with a word character; plain substring otherwise ("DROP TABLE", "$queryRaw"). */
function wordPattern(entry: string): RegExp {
  const start = /^\w/.test(entry) ? '\\b' : '';
  const end = /\w$/.test(entry) ? '\\b' : '';
  return new RegExp(`${start}${escapeRegExp(entry).replace(/\s+/g, '\\s+')}${end}`, 'i');
}
