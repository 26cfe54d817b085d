import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { userPathFailure } from '../../../src/cli/userPathFailure';

const errno = (code: string, path: string) => Object.assign(new Error(`${code}: raw message, open '${path}'`), { code, path, syscall: 'open' });

describe('the CLI boundary: OS errors on the user’s paths are bad input, everything else stays a bug', () => {
  it('names the path and the reason for an errno under --storage, --repo or the default storage', () => {
    assert.match(userPathFailure(errno('EACCES', '/data/st/batches/x/state.json'), ['report', '--storage', '/data/st']) ?? '', /^\/data\/st\/batches\/x\/state\.json: permission denied \(EACCES\)\. Check the folder you gave \(\/data\/st\)/);
    assert.match(userPathFailure(errno('ENOSPC', '/r/.flotilla/tickets/a.md'), ['run', '--repo=/r']) ?? '', /no space left on the device \(ENOSPC\)/);
    assert.match(userPathFailure(errno('EROFS', join(homedir(), '.flotilla', 'ledger')), ['run']) ?? '', /read-only/);
  });

  it('leaves bugs alone: no errno, a path nobody gave, or a code that means a missing file', () => {
    assert.equal(userPathFailure(new TypeError('x is undefined'), ['report', '--storage', '/data/st']), undefined);
    assert.equal(userPathFailure(errno('EACCES', '/elsewhere/file'), ['report', '--storage', '/data/st']), undefined);
    assert.equal(userPathFailure(errno('EACCES', '/data/storage2/x'), ['report', '--storage', '/data/st']), undefined, 'a sibling with a common prefix is not under it');
    assert.equal(userPathFailure(errno('ENOENT', '/data/st/batches'), ['report', '--storage', '/data/st']), undefined);
  });
});
