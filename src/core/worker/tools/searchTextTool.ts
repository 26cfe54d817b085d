import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GitClient } from '../../git/gitClient';
import { GitError } from '../../git/gitErrors';
import { confinePath } from '../pathConfinement';
import type { ToolInput } from './toolSchemas';
import { ok, ToolFailure, type ToolContext, type ToolResult } from './toolTypes';

const DEFAULT_MAX_RESULTS = 100;
/** Larger files are almost always generated or data; searching them costs time and floods results. */
const MAX_SEARCHED_FILE_BYTES = 2 * 1024 * 1024;
const MAX_SHOWN_LINE_CHARS = 300;

export async function searchTextTool(input: ToolInput<'search_text'>, ctx: ToolContext): Promise<ToolResult> {
  let regex: RegExp;
  try {
    regex = new RegExp(input.pattern, input.ignoreCase ? 'i' : '');
  } catch (error) {
    throw new ToolFailure(`pattern is not a valid JavaScript regular expression: ${(error as Error).message}`);
  }
  const scope = await confinePath(ctx.root, input.path ?? '.');
  const files = await candidateFiles(ctx, scope.relative);
  const maxResults = input.maxResults ?? DEFAULT_MAX_RESULTS;

  const hits: string[] = [];
  let bytes = 0;
  let stoppedBy: 'results' | 'bytes' | undefined;
  search: for (const file of files) {
    if (ctx.signal?.aborted) throw new ToolFailure('Search cancelled.');
    const text = await readSearchable(join(ctx.root, file));
    if (text === undefined) continue;
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (!regex.test(line)) continue;
      const shown = line.length > MAX_SHOWN_LINE_CHARS ? `${line.slice(0, MAX_SHOWN_LINE_CHARS)}…` : line;
      const hit = `${file}:${i + 1}: ${shown}`;
      bytes += Buffer.byteLength(hit) + 1;
      if (bytes > ctx.maxOutputBytes) {
        stoppedBy = 'bytes';
        break search;
      }
      hits.push(hit);
      if (hits.length >= maxResults) {
        stoppedBy = 'results';
        break search;
      }
    }
  }
  if (hits.length === 0) return ok(`No matches for /${input.pattern}/ in ${scope.relative === '.' ? 'the repository' : scope.relative}.`);
  const note =
    stoppedBy === 'results' ? `\n[stopped after ${maxResults} matches; narrow the pattern or the path]`
    : stoppedBy === 'bytes' ? '\n[stopped at the output size limit; narrow the pattern or the path]'
    : '';
  return ok(hits.join('\n') + note);
}

/**
 * Files to search, relative to the root with "/" separators. In a git worktree git decides, so
 * .gitignored paths are skipped exactly as git skips them; elsewhere the folder is walked.
 */
async function candidateFiles(ctx: ToolContext, scope: string): Promise<string[]> {
  const git = ctx.git ?? new GitClient({ runner: ctx.runner });
  const pathspec = scope === '.' ? [] : [scope];
  try {
    const out = await git.run(ctx.root, ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', ...pathspec], { signal: ctx.signal });
    return [...new Set(out.stdout.split('\0').filter(Boolean))].sort();
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    return walk(ctx.root, scope === '.' ? '' : scope);
  }
}

async function walk(root: string, folder: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(join(root, folder), { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.toLowerCase() === '.git') continue;
    const rel = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await walk(root, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** Text of a regular file worth searching; undefined for symlinks (they may point outside), binaries and huge files. */
async function readSearchable(absolute: string): Promise<string | undefined> {
  try {
    const info = await lstat(absolute);
    if (!info.isFile() || info.size > MAX_SEARCHED_FILE_BYTES) return undefined;
    const bytes = await readFile(absolute);
    if (bytes.subarray(0, 8000).includes(0)) return undefined;
    return bytes.toString('utf8');
  } catch {
    return undefined; // deleted since git listed it
  }
}
