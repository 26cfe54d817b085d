import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../cli/cliHarness';
import { CLI, ensureCliBuilt } from './cliProcess';

/** `flotilla … | head`: the reader closing the pipe early is not a crash (no EPIPE stack trace). */
describe('hostile: stdout closed by the reader (flotilla route … | head -1)', function () {
  this.timeout(60_000);
  before(ensureCliBuilt);

  it('prints what the reader took, then stops quietly with exit 0 and nothing on stderr', () => {
    const dir = tempDir('pipe');
    const input = join(dir, 'tickets.jsonl');
    // Far more output than a pipe buffer holds, so writes continue after head has gone.
    writeFileSync(input, Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: `T${i}`, title: `Fix the parser case ${i}`, body: 'word '.repeat(40) })).join('\n'));
    const errFile = join(dir, 'stderr.txt');
    const r = spawnSync('bash', ['-c', 'node "$0" route --input "$1" 2>"$2" | head -1; exit "${PIPESTATUS[0]}"', CLI, input, errFile], { encoding: 'utf8' });
    assert.match(r.stdout, /^\{"id":"T0",/);
    assert.equal(readFileSync(errFile, 'utf8'), '');
    assert.equal(r.status, 0);
  });
});
