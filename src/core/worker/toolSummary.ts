import { sep } from 'node:path';

/** Longest summary a tool line carries: a path or the start of a command. */
const MAX_SUMMARY = 120;

/**
 * The one-line summary of a tool call that the terminal, the panel and --json show: the first of
 * `keys` the input has as text, with the worktree's absolute path taken out ("src/wordCount.js",
 * "npm test" rather than "/home/…/worktrees/b1/D3/src/wordCount.js"). Claude Code sends absolute
 * paths; the built-in tools may get either. Every engine summarises through here.
 */
export function toolSummary(input: unknown, keys: readonly string[], worktree: string): string {
  if (typeof input !== 'object' || input === null) return '';
  const record = input as Record<string, unknown>;
  const key = keys.find((k) => typeof record[k] === 'string');
  return key ? relativeToWorktree(String(record[key]), worktree).slice(0, MAX_SUMMARY) : '';
}

/** Every mention of the worktree in `text` made relative to it: the folder itself reads ".". */
export function relativeToWorktree(text: string, worktree: string): string {
  const root = worktree.endsWith(sep) ? worktree.slice(0, -1) : worktree;
  if (root === '') return text;
  // A mention is the root followed by a separator (a path inside) or by the end of a word (the folder).
  return text.split(`${root}${sep}`).join('').replace(new RegExp(`${escapeRegExp(root)}(?=$|[\\s'"\`;&|)])`, 'g'), '.');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
