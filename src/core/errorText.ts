import { redactSecrets } from './redactSecrets';

/**
 * The one way to print an unknown error (CONVENTIONS.md 17): a one-line message for people, and the
 * stack for the log. Anything thrown may be an Error, a string, or something else entirely. Keys are
 * redacted from both: an API error may repeat the key it was sent.
 */
export function errorMessage(error: unknown): string {
  return redactSecrets(rawMessage(error));
}

function rawMessage(error: unknown): string {
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
  return error instanceof Error && error.stack ? redactSecrets(error.stack) : errorMessage(error);
}
