/** Bad usage or bad input: the CLI prints the message on stderr and exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, ticketsFailed: 1, badInput: 2, budget: 3 } as const;
