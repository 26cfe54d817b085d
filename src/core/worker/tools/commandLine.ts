import { ToolFailure } from './toolTypes';

/**
 * Characters that only mean something to a shell. run_command has no shell, so rather than pass
 * them on literally (and let a pipe or redirect silently do nothing) the model is told.
 */
const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$']);

/**
 * Splits a command line into argv the way a POSIX shell would for plain words and quotes: single
 * quotes are literal, double quotes allow \" and \\, a backslash outside quotes escapes one
 * character. Unquoted shell operators, newlines and unclosed quotes are refused.
 */
export function splitCommandLine(line: string): string[] {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (ch === '\n' || ch === '\r') throw new ToolFailure('Run one command per call: the command contains a line break.');
    if (ch === ' ' || ch === '\t') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ToolFailure('The command has an unclosed single quote.');
      word += line.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (i < line.length && line.charAt(i) !== '"') {
        if (line.charAt(i) === '\\' && (line.charAt(i + 1) === '"' || line.charAt(i + 1) === '\\')) i++;
        word += line.charAt(i);
        i++;
      }
      if (i >= line.length) throw new ToolFailure('The command has an unclosed double quote.');
      i++;
    } else if (ch === '\\') {
      word += line.charAt(i + 1);
      i += 2;
    } else if (SHELL_OPERATORS.has(ch)) {
      throw new ToolFailure(
        `Commands run without a shell, so "${ch}" (pipes, redirects, "&&", ";", variables, subshells) is not available. ` +
          'Run a single command, quoting any argument that contains such characters.',
      );
    } else {
      word += ch;
      i++;
    }
  }
  if (inWord) argv.push(word);
  return argv;
}
