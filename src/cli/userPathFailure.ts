import { homedir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { describeFsCode, fsFailureOf, isEnvironmentCode } from '../core/fsFailure';

/** The flags whose values are paths the user chose; storage defaults to ~/.flotilla. */
const PATH_FLAGS = ['--storage', '--repo', '--folder', '--input'];

function userPaths(argv: readonly string[]): string[] {
  const paths: string[] = [];
  argv.forEach((arg, i) => {
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, argv[i + 1]];
    if (PATH_FLAGS.includes(flag) && inline !== undefined) paths.push(resolve(inline));
  });
  if (!argv.some((a) => a === '--storage' || a.startsWith('--storage='))) paths.push(join(homedir(), '.flotilla'));
  return paths;
}

/**
 * The last line of defence at the CLI boundary: an operating-system error (no permission, a file
 * where a folder belongs, a full disk) on a path the user gave, or under it, is bad input — one line
 * naming the path, exit 2 — even where no core module wrapped it in a typed error. Returns undefined
 * for everything else, which stays an internal error (exit 70): an ENOENT on a file Flotilla made
 * itself, or a TypeError, is a bug to report, not the user's to fix.
 */
export function userPathFailure(error: unknown, argv: readonly string[]): string | undefined {
  const failure = fsFailureOf(error);
  if (!failure?.path || !isEnvironmentCode(failure.code)) return undefined;
  const path = resolve(failure.path);
  const given = userPaths(argv).find((p) => path === p || path.startsWith(p.endsWith(sep) ? p : `${p}${sep}`));
  if (given === undefined) return undefined;
  return `${failure.path}: ${describeFsCode(failure.code)}. Check ${given === path ? 'this path' : `the folder you gave (${given})`}: Flotilla needs to read and write there.`;
}
