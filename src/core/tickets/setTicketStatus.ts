import { readFile, writeFile } from 'node:fs/promises';
import { splitFrontMatter } from './frontMatter';
import type { TicketStatus } from './ticketSchema';

/** The ticket file has no front matter to put a status in; nothing was written. */
export class TicketFileFormatError extends Error {
  override readonly name = 'TicketFileFormatError';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}; its status was not changed.`);
  }
}

/** A top-level `status:` key (not indented, so not inside a list or a nested map), its value and an optional comment. */
const STATUS_LINE = /^(status[ \t]*:[ \t]*)([^#\r\n]*?)([ \t]+#[^\r\n]*)?(\r?)$/;

/**
 * The ticket file's text with `status:` set: only the value on that one line changes (the key's
 * spacing, a trailing comment and the line ending stay); without a status line, one is added at
 * the end of the front matter in the file's own line ending. Every other byte is kept.
 */
export function withTicketStatus(text: string, status: TicketStatus): string | { readonly error: string } {
  const split = splitFrontMatter(text);
  if (!split.ok) return { error: split.message };
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Offsets in `text` of the YAML block: after the opening line, up to the closing line.
  const yamlStart = text.indexOf('\n', bom) + 1;
  const yamlEnd = yamlStart + split.value.yaml.length;
  let offset = yamlStart;
  while (offset < yamlEnd) {
    const end = text.indexOf('\n', offset);
    const lineEnd = end === -1 || end > yamlEnd ? yamlEnd : end;
    const line = text.slice(offset, lineEnd);
    const match = STATUS_LINE.exec(line);
    if (match) {
      const [, key = '', , comment = '', cr = ''] = match;
      // `status:` with no value needs the space YAML wants between a key and its value.
      const spaced = key.endsWith(':') ? `${key} ` : key;
      return `${text.slice(0, offset)}${spaced}${status}${comment}${cr}${text.slice(lineEnd)}`;
    }
    offset = lineEnd + 1;
  }
  const newline = /\r\n/.test(text.slice(0, yamlStart)) ? '\r\n' : '\n';
  return `${text.slice(0, yamlEnd)}status: ${status}${newline}${text.slice(yamlEnd)}`;
}

/** Sets `status:` in a ticket file in place (ARCHITECTURE.md: accepting a ticket makes it `done`). */
export async function setTicketStatus(file: string, status: TicketStatus): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = withTicketStatus(text, status);
  if (typeof next !== 'string') throw new TicketFileFormatError(file, next.error);
  if (next !== text) await writeFile(file, next, 'utf8');
}
