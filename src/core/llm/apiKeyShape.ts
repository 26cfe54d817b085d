/**
 * The shortest key Flotilla accepts. Anthropic's keys are over 100 characters; a key of a few
 * characters (a placeholder, a typo, a gateway's toy password) is a string that occurs in ordinary
 * text, so masking it everywhere it is logged or stored would mangle that text, and not masking it
 * would store it (issue 20). Such a key is refused where it is set, with this reason.
 */
export const MIN_API_KEY_LENGTH = 20;

/**
 * Why `key` cannot be used as an API key, or undefined. It goes into an HTTP header as it is, so it is
 * printable ASCII without spaces; and it is long enough to be redacted reliably. Never repeats the key.
 */
export function apiKeyProblem(key: string): string | undefined {
  if (key === '') return 'The API key is empty.';
  if (/\s/.test(key)) return 'An API key contains no spaces or line breaks.';
  if (/[^\x21-\x7e]/.test(key)) return 'An API key is made of printable ASCII characters only.';
  if (key.length < MIN_API_KEY_LENGTH) {
    return `The API key has ${key.length} characters; Flotilla accepts keys of ${MIN_API_KEY_LENGTH} or more (Anthropic keys start with sk-ant- and are much longer), since a shorter one could not be kept out of logs reliably.`;
  }
  return undefined;
}

/** The key that is set cannot be a usable API key: nothing was started or sent. */
export class UnusableApiKeyError extends Error {
  override readonly name = 'UnusableApiKeyError';
  /** What to do about it, worded for each front end. */
  readonly nextStep = {
    editor: 'Set the API key again (Flotilla: Set API Key), or choose the simulated model to run offline.',
    terminal: 'Set ANTHROPIC_API_KEY to your Anthropic API key, or pass --simulate to run offline with the built-in simulated model.',
  } as const;

  static is(error: unknown): error is UnusableApiKeyError {
    return error instanceof Error && error.name === 'UnusableApiKeyError';
  }
}
