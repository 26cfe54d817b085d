import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { storageFaultIn } from '../../../src/core/fsFailure';
import { GitCommandError } from '../../../src/core/git/gitErrors';
import { silentLogger } from '../../../src/core/logger';
import { SpaceReserve } from '../../../src/core/store/spaceReserve';
import { StorageNotWritableError } from '../../../src/core/store/storageErrors';
import { StorageFaultError, StorageFaults } from '../../../src/core/store/storageFaults';
import { tempDir } from '../cli/cliHarness';

const enospc = (path?: string) => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write', ...(path ? { path } : {}) });

describe('storage faults', () => {
  it('finds the fault inside the errors that wrap it, with the nearest path when the write named none', () => {
    const wrapped = new Error('The usage record could not be written, so the result is withheld.', { cause: new StorageNotWritableError('/s/ledger', enospc()) });
    assert.deepEqual(storageFaultIn(new Error('stopped', { cause: wrapped })), { code: 'ENOSPC', path: '/s/ledger', syscall: 'write' });
    assert.deepEqual(storageFaultIn(enospc('/s/batches/B/state.json')), { code: 'ENOSPC', path: '/s/batches/B/state.json', syscall: 'write' });
    assert.equal(storageFaultIn(new TypeError('x is undefined')), undefined);
    assert.equal(storageFaultIn(Object.assign(new Error('gone'), { code: 'ENOENT' })), undefined, 'a missing file is not a full disk');
  });

  it('reads a full disk out of git’s message, naming the file git named (or the folder it was given)', () => {
    const named = new GitCommandError(['worktree', 'add', '/s/worktrees/B/T1'], 128, "fatal: could not write to '/s/worktrees/B/T1/.git': No space left on device", '/repo');
    assert.deepEqual(storageFaultIn(named), { code: 'ENOSPC', path: '/s/worktrees/B/T1/.git' });
    const unnamed = new GitCommandError(['worktree', 'add', '/s/worktrees/B/T2'], 128, 'error: unable to write new index file: Read-only file system', '/repo');
    assert.deepEqual(storageFaultIn(unnamed), { code: 'EROFS', path: '/s/worktrees/B/T2' });
    assert.equal(storageFaultIn(new GitCommandError(['merge'], 1, 'CONFLICT (content): Merge conflict in a.txt', '/repo')), undefined);
  });

  it('keeps the first fault, stops once, and answers false for anything else', async () => {
    const faults = new StorageFaults(silentLogger);
    const heard: StorageFaultError[] = [];
    faults.onFault((fault) => heard.push(fault));
    assert.equal(faults.report(new TypeError('a bug'), '/s'), false);
    assert.equal(faults.report(enospc(), '/s/batches/B/state.json'), true);
    assert.equal(faults.report(enospc('/s/other'), '/s'), true);
    assert.equal(heard.length, 1);
    assert.equal(faults.fault?.path, '/s/batches/B/state.json');
    assert.match(faults.fault?.message ?? '', /^\/s\/batches\/B\/state\.json: no space left on the device \(ENOSPC\); the batch stopped\.$/);
    assert.match(faults.fault?.nextStep ?? '', /^Free space on that disk .*resume the batch/);
    const late: StorageFaultError[] = [];
    faults.onFault((fault) => late.push(fault));
    assert.equal(late.length, 1, 'a listener that comes after the fault hears of it at once');
    assert.equal(await new StorageFaults(silentLogger).reportOrProbe(new Error('unable to write file a.txt'), tempDir('roomy')), false, 'a disk with room is not taken for full');
  });

  it('a space reserve takes its bytes once per file system and gives them back', async () => {
    const dir = tempDir('reserve');
    mkdirSync(join(dir, 'a'));
    const files = [join(dir, 'a', '.space-reserve'), join(dir, '.space-reserve-B')];
    const reserve = await SpaceReserve.take(files, 200_000);
    assert.equal(statSync(files[0] as string).size, 200_000);
    assert.equal(existsSync(files[1] as string), false, 'the same file system is reserved once');
    await reserve.release();
    await reserve.release();
    assert.equal(existsSync(files[0] as string), false);
  });
});
