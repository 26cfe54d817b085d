// One step of a test script (a build, a package, an install), run to completion. A failure says how
// the step ended and what it printed: with captured output the output is in the error, with
// `stdio: 'inherit'` it is already on the terminal and the error says so — never "null null".
import { spawnSync } from 'node:child_process';

export function runStep(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(describeFailure(command, args, result));
  return result.stdout ?? '';
}

export function describeFailure(command, args, result) {
  const how = result.error ? `could not start: ${result.error.message}` : result.status === null ? `killed by ${result.signal}` : `exit ${result.status}`;
  const output = [result.stdout, result.stderr]
    .filter((text) => typeof text === 'string' && text.trim() !== '')
    .map((text) => text.trimEnd())
    .join('\n');
  return `${command} ${args.join(' ')} failed (${how})${output ? `:\n${output}` : ' — its output is above'}`;
}
