import type { LlmError } from './llmErrors';

/**
 * Whether an attempt's usage record says all it can have been billed (`known`: it closes the
 * attempt's reservation), or the server may have billed more than the record holds (`unknown`: the
 * reservation stays open and counts at its worst case).
 */
export type AttemptBilling = 'known' | 'unknown';

export interface AttemptEnding {
  /** Undefined: the attempt succeeded. */
  readonly error?: LlmError;
  /** The server reported some usage, not the final figures (a cut or cancelled stream). */
  readonly partial: boolean;
  /** False only when the request provably never left this process (cancelled while queued). */
  readonly sent: boolean;
}

/**
 * When in doubt, unknown. Known: a success (the final usage arrived), a request never sent, an HTTP
 * error answer (the API bills no request it refuses with a status), and a connection the server
 * refused (nothing was received). Everything else — a cut or cancelled stream, a timeout, a reset
 * after the request went out — may have been generated and billed in full.
 */
export function attemptBilling(ending: AttemptEnding): AttemptBilling {
  const { error } = ending;
  if (!ending.sent || error === undefined) return 'known';
  if (ending.partial) return 'unknown';
  if (error.status !== null) return 'known';
  return causeCode(error) === 'ECONNREFUSED' ? 'known' : 'unknown';
}

/** The first errno code along an error's `cause` chain (the SDK and node wrap the socket's error). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
