/** A problem found in a ticket file, positioned for the Problems panel and `file:line:col` output. */
export interface TicketProblem {
  /** Absolute path of the ticket file. */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/** A position inside a ticket file (1-based). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

export const START_OF_FILE: SourcePosition = { line: 1, column: 1 };

export function problemAt(
  file: string,
  position: SourcePosition,
  severity: TicketProblem['severity'],
  message: string,
): TicketProblem {
  return { file, line: position.line, column: position.column, severity, message };
}

/** `file:line:col: severity: message`, the format compilers use and editors link. */
export function formatProblem(problem: TicketProblem, relativeTo?: (file: string) => string): string {
  const file = relativeTo ? relativeTo(problem.file) : problem.file;
  return `${file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`;
}
