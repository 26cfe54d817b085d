// Run as its own process (see sandboxGates.unit.test.ts) with a planted ANTHROPIC_API_KEY in its
// initial environment, which is what /proc/<pid>/environ shows: the stand-in for a Flotilla process
// holding the real key. Runs one build gate in the worktree and prints its result as JSON. With a
// fourth argument `unsandboxed`, bubblewrap is "missing" and running without it allowed (the control).
import { join } from 'node:path';
import { runGates } from '../../../src/core/review/runGates';

const [worktree, storage, command, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const sandbox = mode === 'unsandboxed' ? { allowNetwork: false, allowUnsandboxed: true, bwrapPath: join(storage, 'no-bwrap-here') } : { allowNetwork: false, allowUnsandboxed: false, hidden: [storage] };
void runGates('minimal', { build: command }, worktree, { sandbox, timeoutMs: 60_000 }).then((outcome) => {
  process.stdout.write(JSON.stringify(outcome.gates[0]));
});
