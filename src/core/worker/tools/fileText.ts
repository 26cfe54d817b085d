import { open } from 'node:fs/promises';
import { ToolFailure } from './toolTypes';

/** Files above this are never loaded whole, even to show a line range; the model should search instead. */
export const MAX_TEXT_FILE_BYTES = 32 * 1024 * 1024;

/** Reads a file as UTF-8 text, refusing folders, binaries and files too large to handle. */
export async function readTextFile(absolute: string, shownPath: string): Promise<string> {
  const handle = await open(absolute, 'r');
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ToolFailure(`${shownPath} is a folder; use list_dir to see what it contains.`);
    if (info.size > MAX_TEXT_FILE_BYTES) {
      throw new ToolFailure(`${shownPath} is ${info.size} bytes, too large to open; use search_text to find what you need in it.`);
    }
    const bytes = await handle.readFile();
    // A NUL byte in the first block is how git and grep tell binary from text, too.
    if (bytes.subarray(0, 8000).includes(0)) throw new ToolFailure(`${shownPath} is a binary file; it cannot be read or edited as text.`);
    return bytes.toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Splits text into lines, keeping no terminators; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
