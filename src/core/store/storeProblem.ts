/**
 * Something the store skipped or quarantined instead of failing: a corrupt ledger line, a torn last
 * line, a state file moved aside. Reported to the user (`file:line: message`), never fatal.
 */
export interface StoreProblem {
  readonly file: string;
  /** 1-based line for ledger lines; absent for whole files. */
  readonly line?: number;
  readonly message: string;
  /** Where a quarantined file was moved. */
  readonly movedTo?: string;
}

export function formatProblem(problem: StoreProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const moved = problem.movedTo === undefined ? '' : ` (moved to ${problem.movedTo})`;
  return `${where}: ${problem.message}${moved}`;
}
