import { InvalidBranchNameError } from './gitErrors';

export const BRANCH_PREFIX = 'flotilla';

/**
 * Longest id usable in a branch name. A component becomes a file name twice (the loose ref under
 * `.git/refs/heads/…` and the worktree folder), and file systems stop at 255 bytes; 100 leaves room
 * for suffixes git adds (`.lock`) and keeps branch names readable.
 */
export const MAX_REF_COMPONENT_LENGTH = 100;

/** `flotilla/<batch>/<ticket>`: one branch per ticket per batch, so reruns never collide. */
export function ticketBranchName(batchId: string, ticketId: string): string {
  assertRefComponent(batchId);
  assertRefComponent(ticketId);
  return `${BRANCH_PREFIX}/${batchId}/${ticketId}`;
}

/**
 * Why `part` cannot be one component of a branch name, or undefined when it can. A subset of git's
 * check-ref-format rules, strict enough that every id Flotilla produces either passes or gets a
 * reason here instead of a git error later. Ticket ids are checked with this same rule
 * (ticketSchema.ts), so a ticket that validates can always get its branch and worktree.
 */
export function refComponentProblem(part: string): string | undefined {
  if (!/^[A-Za-z0-9._-]+$/.test(part)) return 'use letters, digits, ".", "_" and "-" only';
  if (part.startsWith('.') || part.startsWith('-')) return 'it may not start with "." or "-"';
  if (part.endsWith('.') || part.endsWith('.lock')) return 'it may not end with "." or ".lock"';
  if (part.includes('..')) return 'it may not contain ".."';
  if (part.length > MAX_REF_COMPONENT_LENGTH) return `it may be at most ${MAX_REF_COMPONENT_LENGTH} characters (this one has ${part.length})`;
  return undefined;
}

function assertRefComponent(part: string): void {
  const problem = refComponentProblem(part);
  if (problem !== undefined) throw new InvalidBranchNameError(part, problem);
}
