import type { Logger } from '../core/logger';

/** The CLI's log: warnings and errors on stderr; info and debug only with FLOTILLA_LOG=debug. */
export function stderrLogger(write: (line: string) => void, verbose = process.env.FLOTILLA_LOG === 'debug'): Logger {
  return {
    trace: (m) => verbose && write(`trace: ${m}`),
    debug: (m) => verbose && write(`debug: ${m}`),
    info: (m) => verbose && write(`info: ${m}`),
    warn: (m) => write(`warning: ${m}`),
    error: (m) => write(`error: ${m}`),
  };
}
