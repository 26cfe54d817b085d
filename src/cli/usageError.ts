/** Bad usage or bad input: the CLI prints the message on stderr and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** 4: a merge would conflict (accept); the files are named and the repository is untouched. */
export const EXIT = { ok: 0, ticketsFailed: 1, badInput: 2, budget: 3, conflict: 4 } as const;
