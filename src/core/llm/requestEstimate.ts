/**
 * max_tokens of every worker turn and of the planning call: the output side of each call's worst
 * case, which the budget guard reserves before the call starts.
 */
export const MAX_TOKENS_PER_TURN = 8_192;

/**
 * The smallest max_tokens a call is sized down to when a hard budget cannot pay for all of
 * MAX_TOKENS_PER_TURN: room for a tool call with a file of a few hundred lines, or a review's JSON.
 * A call that cannot afford even this is refused.
 */
export const MIN_USEFUL_MAX_TOKENS = 1_024;

/** Margin on the API's token count of a prompt, which the API itself calls an estimate. */
export const COUNT_MARGIN = 1.05;

/** The prompt side of a Messages request (typed loosely: the metering proxy reads any client's body). */
export interface PromptParts {
  readonly system?: unknown;
  readonly messages?: unknown;
  readonly tools?: unknown;
}

/** True when some block asks for a 1-hour cache breakpoint (then a 1-hour cache write is possible). */
export function usesOneHourCache(request: PromptParts): boolean {
  return JSON.stringify([request.system, request.messages, request.tools]).includes('"ttl":"1h"');
}

/**
 * A request's input tokens, estimated before it is sent (characters / 3 over system, messages and
 * tools). It errs high for English and code, which is what a budget check wants: the guard and the
 * CLI's pre-check use the same figure, so a budget the pre-check admits is not refused by the guard;
 * the metering proxy applies it to any client's request body.
 */
export function estimateInputTokens(request: PromptParts): number {
  return Math.ceil(JSON.stringify([request.system, request.messages, request.tools]).length / 3);
}
