import type { TicketSet } from './loadTickets';

/** What the Tickets view says about problems: files left out, and listed tickets that still have errors. */
export interface TicketProblemSummary {
  /** Files with an error that are not in the list (they do not parse or validate, or repeat an id). */
  readonly unlistedFiles: number;
  /** Listed tickets with an error that does not keep them out (a dependency that does not exist, a cycle). */
  readonly listedWithErrors: readonly string[];
}

/** Counts by whether the ticket is listed, so a listed ticket is never called "not listed". */
export function summarizeTicketProblems(set: Pick<TicketSet, 'tickets' | 'problems'>): TicketProblemSummary {
  const listed = new Map(set.tickets.map((t) => [t.file, t.id]));
  const unlisted = new Set<string>();
  const listedWithErrors = new Set<string>();
  for (const problem of set.problems) {
    if (problem.severity !== 'error') continue;
    const id = listed.get(problem.file);
    if (id === undefined) unlisted.add(problem.file);
    else listedWithErrors.add(id);
  }
  return { unlistedFiles: unlisted.size, listedWithErrors: [...listedWithErrors] };
}

/** The Tickets view's sentence about problems, or undefined when there is none. */
export function problemSummaryText(summary: TicketProblemSummary): string | undefined {
  const parts: string[] = [];
  const n = summary.unlistedFiles;
  if (n > 0) parts.push(`${n} ticket file${n === 1 ? ' has' : 's have'} errors and ${n === 1 ? 'is' : 'are'} not listed`);
  const ids = summary.listedWithErrors;
  if (ids.length > 0) parts.push(`${ids.length <= 3 ? ids.join(', ') : `${ids.length} tickets`} ${ids.length === 1 ? 'has' : 'have'} problems to fix`);
  return parts.length > 0 ? `${parts.join('; ')} — see the Problems panel.` : undefined;
}
