import type { RecordedRequest, Responder, SimulatedTurn } from './simulatorTypes';

/** Thrown (and answered as a 500 api_error) when a script has no turn left: a test asked more than it planned. */
export class ScriptExhaustedError extends Error {
  constructor(readonly turnsPlanned: number) {
    super(`simulator script exhausted: all ${turnsPlanned} scripted turns were used`);
    this.name = 'ScriptExhaustedError';
  }
}

export function textTurn(text: string, outputTokens?: number): SimulatedTurn {
  return outputTokens === undefined ? { content: [{ type: 'text', text }] } : { content: [{ type: 'text', text }], outputTokens };
}

export function toolUseTurn(name: string, input: unknown, id?: string): SimulatedTurn {
  return { content: [{ type: 'tool_use', name, input, ...(id === undefined ? {} : { id }) }], stopReason: 'tool_use' };
}

/** The default: a short text answer, so a simulator with no script still behaves like a model. */
export const defaultResponder: Responder = () => textTurn('This is a simulated response.');

/**
 * Answer /v1/messages requests with the given turns in order (count_tokens and models requests do
 * not consume turns). Each turn may be a function of the request, for scripts that echo input.
 */
export function scriptedResponder(turns: readonly (SimulatedTurn | ((request: RecordedRequest) => SimulatedTurn))[]): Responder {
  let next = 0;
  return (request) => {
    const turn = turns[next];
    if (turn === undefined) throw new ScriptExhaustedError(turns.length);
    next += 1;
    return typeof turn === 'function' ? turn(request) : turn;
  };
}
