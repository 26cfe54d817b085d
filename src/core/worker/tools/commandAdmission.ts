import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { confinePath, PathRefusedError } from '../pathConfinement';
import { splitCommandLine } from './commandLine';
import { ToolFailure } from './toolTypes';

/**
 * `flotilla.commands.allow` entries (the syntax documented in package.json and settingsSchema.ts):
 *
 * - `npm test` — this command, optionally followed by plain arguments (test files, names) that stay
 *   inside the worktree. Options (`-x`, `--flag`) are refused: `node --test` must not become
 *   `node --test --import data:…`.
 * - `npx eslint *` — a last word `*` also admits options. Their values are held to the same rule.
 *
 * Either way every argument that could name a file must resolve inside the worktree (absolute
 * paths, `..`, `~` and symbolic links are followed and checked), URLs (`data:`, `file:`, `http:`)
 * are refused, the code-loading options of node (`--import`, `--require`, `--loader` …) take
 * only a relative path to a file inside the worktree, never a package name resolved elsewhere, and
 * `--test-reporter` only node's built-in reporter names.
 */
export interface AllowEntry {
  readonly text: string;
  readonly prefix: readonly string[];
  /** The entry ended with `*`: options may follow the prefix. */
  readonly options: boolean;
}

export const ANY_ARGUMENTS = '*';

/**
 * node's own test reporters. `--test-reporter` also takes a package name or a path, which node loads
 * as code — a package from any node_modules above the worktree — so only these names are admitted.
 */
export const BUILT_IN_TEST_REPORTERS: readonly string[] = ['spec', 'tap', 'dot', 'junit', 'lcov'];

/** Options that load code; their value must be a relative path to a file in the worktree. */
const CODE_LOADING_OPTIONS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--experimental-default-type']);
/** `scheme:` with at least two letters, so `C:\` is not taken for one. */
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]+:/;

/** A setting entry as argv, or undefined when it cannot allow anything (malformed, empty, a lone `*`). */
export function parseAllowEntry(text: string): AllowEntry | undefined {
  let words: string[];
  try {
    words = splitCommandLine(text);
  } catch {
    return undefined; // a malformed setting allows nothing
  }
  const options = words.at(-1) === ANY_ARGUMENTS;
  const prefix = options ? words.slice(0, -1) : words;
  return prefix.length === 0 ? undefined : { text, prefix, options };
}

/** The entries whose prefix starts `argv`, most specific first. */
export function matchingEntries(argv: readonly string[], allow: readonly string[]): AllowEntry[] {
  return allow
    .flatMap((text) => parseAllowEntry(text) ?? [])
    .filter((entry) => entry.prefix.length <= argv.length && entry.prefix.every((part, index) => argv[index] === part))
    .sort((a, b) => b.prefix.length - a.prefix.length || Number(b.options) - Number(a.options));
}

/**
 * The allowlist entry whose argv is a prefix of `argv`, or undefined. "npm test" matches
 * "npm test test/a.test.js"; what may follow the prefix is checked by admitArguments.
 */
export function matchAllowlist(argv: readonly string[], allow: readonly string[]): string | undefined {
  return matchingEntries(argv, allow)[0]?.text;
}

/**
 * Checks what follows the allowed prefix: resolves when some matching entry admits every argument,
 * else throws a ToolFailure the model can act on (it names the argument and the rule).
 */
export async function admitArguments(argv: readonly string[], allow: readonly string[], root: string): Promise<void> {
  const entries = matchingEntries(argv, allow);
  let first: ToolFailure | undefined;
  for (const entry of entries) {
    try {
      await checkRest(argv.slice(entry.prefix.length), entry, root);
      return;
    } catch (error) {
      if (!(error instanceof ToolFailure)) throw error;
      first ??= error;
    }
  }
  throw first ?? new ToolFailure(`"${argv.join(' ')}" is not allowed.`);
}

async function checkRest(rest: readonly string[], entry: AllowEntry, root: string): Promise<void> {
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      await checkWord(arg, root);
      continue;
    }
    if (!entry.options) {
      throw new ToolFailure(`"${arg}": options after "${entry.text}" are not allowed by flotilla.commands.allow (an entry ending in " *", e.g. "${entry.text} *", would admit them). Run "${entry.text}" with file arguments only.`);
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name === '--test-reporter') {
      checkReporter(eq < 0 ? rest[++i] : arg.slice(eq + 1));
    } else if (CODE_LOADING_OPTIONS.has(name)) {
      const value = eq < 0 ? rest[++i] : arg.slice(eq + 1);
      await checkCodeFile(name, value, root);
    } else if (eq >= 0) {
      await checkWord(arg.slice(eq + 1), root, name);
    }
  }
}

/** Any argument may name a file, so each must stay inside the worktree (a plain word always does). */
async function checkWord(word: string, root: string, option?: string): Promise<void> {
  const what = option ? `the value of ${option}` : `"${word}"`;
  if (URL_SCHEME.test(word)) throw new ToolFailure(`${what} is a URL (${word.split(':')[0]}:); commands may only use files inside the worktree.`);
  if (word.startsWith('~')) throw new ToolFailure(`${what} points into a home folder; commands may only use files inside the worktree.`);
  await insideWorktree(word, root, what);
}

function checkReporter(value: string | undefined): void {
  if (value !== undefined && BUILT_IN_TEST_REPORTERS.includes(value)) return;
  const what = value === undefined || value === '' ? '--test-reporter needs a value' : `--test-reporter ${value}`;
  throw new ToolFailure(
    `${what}: only node's built-in reporters may be used (${BUILT_IN_TEST_REPORTERS.join(', ')}); any other value is code node would load, from a package outside the worktree or a file.`,
  );
}

async function checkCodeFile(option: string, value: string | undefined, root: string): Promise<void> {
  if (value === undefined || value === '') throw new ToolFailure(`${option} needs a value.`);
  if (!value.startsWith('./')) {
    throw new ToolFailure(`${option} ${value}: code may only be loaded from a file inside the worktree, given as a relative path such as ./test/setup.js (not a URL, a package name or an absolute path).`);
  }
  await insideWorktree(value, root, `the value of ${option}`);
}

async function insideWorktree(word: string, root: string, what: string): Promise<void> {
  let requested = word;
  if (isAbsolute(word)) {
    // An absolute path into the worktree itself is fine; anything else is outside by definition.
    const realRoot = await realpath(root).catch(() => root);
    const rel = [relative(root, word), relative(realRoot, word)].find((r) => r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
    if (rel === undefined) throw new ToolFailure(`${what} is outside the worktree; commands may only use files inside it.`);
    requested = rel === '' ? '.' : rel;
  }
  try {
    await confinePath(root, requested);
  } catch (error) {
    if (error instanceof PathRefusedError) throw new ToolFailure(`${what} cannot be used: ${error.message}`);
    throw error;
  }
}
