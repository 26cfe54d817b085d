/**
 * The one way to print an unknown error (CONVENTIONS.md 17): a one-line message for people, and the
 * stack for the log. Anything thrown may be an Error, a string, or something else entirely.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** The message plus the stack when there is one: for the log channel, never for a notification. */
export function errorForLog(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : errorMessage(error);
}
