import { InvalidBranchNameError } from './gitErrors';

export const BRANCH_PREFIX = 'flotilla';

/** `flotilla/<batch>/<ticket>`: one branch per ticket per batch, so reruns never collide. */
export function ticketBranchName(batchId: string, ticketId: string): string {
  assertRefComponent(batchId);
  assertRefComponent(ticketId);
  return `${BRANCH_PREFIX}/${batchId}/${ticketId}`;
}

/**
 * A subset of git's check-ref-format rules, strict enough that every id Flotilla produces (and every
 * ticket id, `[A-Za-z0-9._-]+`) either passes or gets a reason here instead of a git error later.
 */
function assertRefComponent(part: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(part)) throw new InvalidBranchNameError(part, 'use letters, digits, ".", "_" and "-" only');
  if (part.startsWith('.') || part.startsWith('-')) throw new InvalidBranchNameError(part, 'it may not start with "." or "-"');
  if (part.endsWith('.') || part.endsWith('.lock')) throw new InvalidBranchNameError(part, 'it may not end with "." or ".lock"');
  if (part.includes('..')) throw new InvalidBranchNameError(part, 'it may not contain ".."');
}
