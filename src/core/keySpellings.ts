/**
 * Finds a secret in text however a server that echoes it may have spelled it: as itself, or with any
 * of its characters JSON-escaped (`\u0073`, `\u0053`-style hex in either case, `\/`, `\"`, `\\`) or
 * percent-encoded (`%2F`). A plain `includes` misses an echo that JSON-escaped the key, and a client
 * that parses the JSON would still read the key whole.
 *
 * Matching also answers "could a match start here if more text came?", so a stream can hold back the
 * few characters that may be the start of a key split across two chunks, and pass on everything else.
 */
export type KeyMatch = { readonly kind: 'full'; readonly end: number } | { readonly kind: 'partial' } | { readonly kind: 'none' };

const NONE: KeyMatch = { kind: 'none' };
const PARTIAL: KeyMatch = { kind: 'partial' };

/** Every way one character of the secret may appear in an echo. */
function spellingsOf(char: string): string[] {
  const code = char.charCodeAt(0);
  const out = [char];
  if (code > 0xff) return out;
  const hex = code.toString(16).padStart(2, '0');
  for (const digits of new Set([hex, hex.toUpperCase()])) out.push(`\\u00${digits}`, `%${digits}`);
  if (char === '/' || char === '"' || char === '\\') out.push(`\\${char}`);
  return out;
}

export class KeyMatcher {
  private readonly spellings: readonly (readonly string[])[];
  /** The characters a match can start with: a quick filter before trying one. */
  private readonly starts: ReadonlySet<string>;

  constructor(readonly secret: string) {
    if (secret === '') throw new Error('KeyMatcher needs a non-empty secret');
    this.spellings = [...secret].map(spellingsOf);
    this.starts = new Set((this.spellings[0] ?? []).map((s) => s.charAt(0)));
  }

  /** Whether the secret starts at `pos` in `text`: whole (with its end), cut off by the end of `text`, or not. */
  at(text: string, pos: number): KeyMatch {
    if (!this.starts.has(text.charAt(pos))) return NONE;
    return this.from(text, pos, 0);
  }

  private from(text: string, pos: number, index: number): KeyMatch {
    if (index === this.spellings.length) return { kind: 'full', end: pos };
    if (pos === text.length) return PARTIAL;
    let partial = false;
    for (const spelling of this.spellings[index] as readonly string[]) {
      const left = text.length - pos;
      if (left < spelling.length) {
        if (text.slice(pos) === spelling.slice(0, left)) partial = true;
        continue;
      }
      // The spellings list both hex cases, so an exact comparison is enough.
      if (text.slice(pos, pos + spelling.length) !== spelling) continue;
      const next = this.from(text, pos + spelling.length, index + 1);
      if (next.kind === 'full') return next;
      if (next.kind === 'partial') partial = true;
    }
    return partial ? PARTIAL : NONE;
  }
}

/**
 * `text` with every whole occurrence of the secrets replaced by `replacement(length)`. With
 * `holdPartial`, text from the first place where a secret may begin but the text ends is returned
 * as `rest`, not replaced and not passed on; the caller prepends it to what comes next.
 */
export function replaceKeys(text: string, matchers: readonly KeyMatcher[], replacement: (length: number) => string, holdPartial = false): { readonly text: string; readonly rest: string } {
  if (matchers.length === 0) return { text, rest: '' };
  let out = '';
  let copied = 0;
  let pos = 0;
  while (pos < text.length) {
    // A plain loop: this runs once per character of every relayed answer.
    let end = -1;
    let partial = false;
    for (const matcher of matchers) {
      const match = matcher.at(text, pos);
      if (match.kind === 'full') {
        end = match.end;
        break;
      }
      if (match.kind === 'partial') partial = true;
    }
    if (end >= 0) {
      out += text.slice(copied, pos) + replacement(end - pos);
      pos = copied = end;
    } else if (holdPartial && partial) {
      return { text: out + text.slice(copied, pos), rest: text.slice(pos) };
    } else {
      pos += 1;
    }
  }
  return { text: out + text.slice(copied), rest: '' };
}

/** A secret masked by as many asterisks as the text it covered, so lengths (Content-Length) still hold. */
export const sameLengthMask = (length: number): string => '*'.repeat(length);

/**
 * The secrets of one text stream, found across the boundaries of its pieces: `push` returns what is
 * safe to pass on now, `end` the rest once the stream is over.
 */
export class KeyStreamMask {
  private held = '';

  constructor(private readonly matchers: readonly KeyMatcher[]) {}

  push(text: string): string {
    const result = replaceKeys(this.held + text, this.matchers, sameLengthMask, true);
    this.held = result.rest;
    return result.text;
  }

  end(): string {
    const result = replaceKeys(this.held, this.matchers, sameLengthMask);
    this.held = '';
    return result.text;
  }
}
