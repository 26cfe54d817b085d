import { Parser, type YAMLError } from 'yaml';

/** A YAML syntax error placed where the author has to fix it, in plain words. */
export interface PlacedYamlError {
  /** Offset into the YAML text (the front matter) of the character to point at. */
  readonly offset: number;
  readonly message: string;
}

export interface PlacedYamlErrors {
  /** One per line, in the order the reader found them. */
  readonly errors: readonly PlacedYamlError[];
  /** The stretches (offsets, both ends included) the reader could not make sense of: from the cause to where it gave up. */
  readonly broken: readonly (readonly [number, number])[];
}

/** The part of a CST token this module reads; every token has a type and an offset. */
interface Token {
  readonly type: string;
  readonly offset: number;
  readonly source?: string;
  readonly start?: unknown;
  readonly end?: readonly { readonly type: string }[];
  readonly items?: readonly { readonly start?: unknown; readonly key?: unknown; readonly sep?: unknown; readonly value?: unknown }[];
  readonly value?: unknown;
  readonly key?: unknown;
}

/**
 * The `yaml` library reports some mistakes where it gave up, not where they are: an unclosed quote
 * at the end of the front matter, an unclosed `[` on the next field, a line indented under a value
 * at that value. The author needs the line to change, so each such error is moved to the token that
 * causes it (read from the library's own concrete syntax tree) and said in plain words. Errors on
 * one line are said once.
 */
export function placeYamlErrors(yaml: string, errors: readonly YAMLError[]): PlacedYamlErrors {
  const tokens = [...new Parser().parse(yaml)].flatMap((t) => allTokens(t as unknown as Token));
  const placed = errors.map((error) => placeOne(yaml, tokens, error));
  const seen = new Set<number>();
  const once = placed.filter((p) => {
    const line = lineOf(yaml, p.offset);
    if (seen.has(line)) return false;
    seen.add(line);
    return true;
  });
  const broken = errors.map((error, i) => [Math.min(placed[i]?.offset ?? error.pos[0], error.pos[0]), Math.max(placed[i]?.offset ?? error.pos[1], error.pos[1])] as const);
  return { errors: once, broken };
}

function placeOne(yaml: string, tokens: readonly Token[], error: YAMLError): PlacedYamlError {
  const [from] = error.pos;
  const plain = firstLine(error.message);
  if (error.code === 'MISSING_CHAR' && /closing .?quote/i.test(plain)) {
    const quote = lastBefore(tokens, from, (t) => (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && !isClosedQuote(t));
    if (quote) {
      const mark = quote.type === 'double-quoted-scalar' ? '"' : "'";
      return { offset: quote.offset, message: `the ${mark} opened here is never closed: end the value with ${mark} on this line, or leave the quotes out` };
    }
  }
  if (/^Flow (sequence|map)/.test(plain)) {
    const flow = lastBefore(tokens, from, (t) => t.type === 'flow-collection' && !isClosedFlow(t));
    if (flow) {
      const [open, close] = flowMarks(flow);
      return { offset: flow.offset, message: `the ${open} opened here is never closed: end it with ${close} on this line` };
    }
  }
  if (error.code === 'MULTILINE_IMPLICIT_KEY' || error.code === 'BLOCK_AS_IMPLICIT_KEY') {
    const continuation = indentedContinuation(yaml, from);
    if (continuation !== undefined) {
      return { offset: continuation, message: 'this line is indented under a field that already has a value, so it reads as part of that value: start it in the same column as the other fields' };
    }
    if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && /:(\s|$)/.test(yaml.slice(from, nextBreak(yaml, from)))) {
      return { offset: from, message: 'a value that contains ": " must be in quotes, e.g. title: "Fix: the thing"' };
    }
  }
  if (error.code === 'MULTILINE_IMPLICIT_KEY' && yaml.slice(lineStart(yaml, from), from).trim() === '' && !/^[^:]*:\s/.test(yaml.slice(from, nextBreak(yaml, from)))) {
    return { offset: from, message: 'a field is written "name: value", with a space after the colon' };
  }
  if (error.code === 'DUPLICATE_KEY') return { offset: from, message: 'this field is given twice: keep one of them' };
  if (error.code === 'UNEXPECTED_TOKEN' && lastBefore(tokens, from, (t) => (t.type === 'double-quoted-scalar' || t.type === 'single-quoted-scalar') && isClosedQuote(t) && lineOf(yaml, t.offset) === lineOf(yaml, from))) {
    return { offset: from, message: 'text follows the closing quote: put the whole value inside the quotes' };
  }
  return { offset: from, message: plain };
}

/**
 * A value that ends on its own line and is followed by a more indented line holding "key: …" (the
 * common slip of indenting the next field): the offset of that line's first character, else undefined.
 */
function indentedContinuation(yaml: string, from: number): number | undefined {
  const start = lineStart(yaml, from);
  const head = yaml.slice(start, from);
  // The error starts after "key: " on its line, and the rest of that line is a plain value.
  if (!/^\s*[^\s#][^:]*:\s+$/.test(head) || /:(\s|$)/.test(yaml.slice(from, nextBreak(yaml, from)))) return undefined;
  const indent = head.length - head.trimStart().length;
  for (let next = yaml.indexOf('\n', from); next !== -1; next = yaml.indexOf('\n', next + 1)) {
    const line = yaml.slice(next + 1, nextBreak(yaml, next + 1));
    const lineIndent = line.length - line.trimStart().length;
    if (line.trim() === '') continue;
    if (lineIndent <= indent) return undefined;
    if (/^\s*[^\s#][^:]*:(\s|$)/.test(line)) return next + 1 + lineIndent;
  }
  return undefined;
}

function allTokens(token: Token | undefined): Token[] {
  if (!token || typeof token !== 'object' || typeof token.type !== 'string') return [];
  const nested: Token[] = [];
  for (const item of token.items ?? []) nested.push(...allTokens(item.key as Token), ...allTokens(item.value as Token));
  nested.push(...allTokens(token.value as Token), ...allTokens(token.key as Token));
  return [token, ...nested];
}

function lastBefore(tokens: readonly Token[], offset: number, wanted: (t: Token) => boolean): Token | undefined {
  return tokens.filter((t) => t.offset <= offset && wanted(t)).sort((a, b) => b.offset - a.offset)[0];
}

function isClosedQuote(token: Token): boolean {
  const source = token.source ?? '';
  const mark = token.type === 'double-quoted-scalar' ? '"' : "'";
  return source.length >= 2 && source.endsWith(mark);
}

function isClosedFlow(token: Token): boolean {
  return (token.end ?? []).some((t) => t.type === 'flow-seq-end' || t.type === 'flow-map-end');
}

function flowMarks(token: Token): [string, string] {
  const start = token.start as { source?: string } | undefined;
  return start?.source === '{' ? ['{', '}'] : ['[', ']'];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function nextBreak(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
