import assert from 'node:assert/strict';
import type { CliResult } from '../cli/cliHarness';

/**
 * The contract for bad input (HELPERS.md, ARCHITECTURE.md "Exit codes"): the expected exit code, a
 * one-line reason on stderr that matches, and nothing that looks like a crash.
 */
export function assertRefused(result: CliResult, code: number, reason: RegExp): void {
  const all = [...result.err, ...result.out].join('\n');
  assert.equal(result.code, code, all);
  assert.doesNotMatch(all, /internal error|^\s+at .*:\d+:\d+\)?$/m, 'no stack trace');
  const line = result.err.find((l) => reason.test(l));
  assert.ok(line, `no stderr line matches ${reason}:\n${all}`);
  assert.doesNotMatch(line, /\n/, 'the reason is one line');
}
