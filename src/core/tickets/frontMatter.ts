/**
 * Splits a Markdown file into its YAML front matter and body, remembering on which line the YAML
 * starts so that YAML positions can be turned back into file positions.
 */
export interface FrontMatterSplit {
  readonly yaml: string;
  /** 0-based file line of the first YAML line (the line after the opening `---`). */
  readonly yamlFirstLine: number;
  readonly body: string;
}

export type FrontMatterResult =
  | { readonly ok: true; readonly value: FrontMatterSplit }
  | { readonly ok: false; readonly line: number; readonly message: string };

const OPENING = /^---[ \t]*\r?$/;
const CLOSING = /^(---|\.\.\.)[ \t]*\r?$/;

export function splitFrontMatter(text: string): FrontMatterResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstBreak = source.indexOf('\n');
  const firstLine = firstBreak === -1 ? source : source.slice(0, firstBreak);
  if (!OPENING.test(firstLine)) {
    return {
      ok: false,
      line: 1,
      message: 'no YAML front matter: a ticket file starts with a "---" line, then at least "id:" and "title:", then "---"',
    };
  }
  // Walk line by line rather than split the whole file: a 10 MB description should not be copied twice.
  let start = firstBreak + 1;
  while (firstBreak !== -1 && start <= source.length) {
    const end = source.indexOf('\n', start);
    const current = end === -1 ? source.slice(start) : source.slice(start, end);
    if (CLOSING.test(current)) {
      return {
        ok: true,
        value: {
          yaml: source.slice(firstBreak + 1, start),
          yamlFirstLine: 1,
          body: end === -1 ? '' : source.slice(end + 1),
        },
      };
    }
    if (end === -1) break;
    start = end + 1;
  }
  return { ok: false, line: 1, message: 'the front matter opened on line 1 is never closed: add a "---" line after the last field' };
}
