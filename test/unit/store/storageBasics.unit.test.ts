import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from '../../../src/core/store/atomicJson';
import { checkWritable } from '../../../src/core/store/checkWritable';
import { KeyedMutex } from '../../../src/core/store/keyedMutex';
import { StorageNotWritableError } from '../../../src/core/store/storageErrors';
import { formatProblem } from '../../../src/core/store/storeProblem';
import { monthOf } from '../../../src/core/store/storagePaths';
import { useTempDir } from './storeTestKit';

describe('store basics', () => {
  const dir = useTempDir();

  it('writes JSON atomically, replacing the old file and leaving no temp files behind', async () => {
    const path = join(dir.path, 'deep', 'state.json');
    await writeJsonAtomic(path, { a: 1 });
    await writeJsonAtomic(path, { a: 2 });
    assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { a: 2 });
    assert.deepEqual(await readdir(join(dir.path, 'deep')), ['state.json']);
    const schema = z.object({ a: z.number() });
    assert.deepEqual(await readJsonFile(path, schema), { kind: 'ok', value: { a: 2 } });
    assert.deepEqual(await readJsonFile(join(dir.path, 'none.json'), schema), { kind: 'missing' });
  });

  it('quarantines a file that fails its schema under a timestamped name', async () => {
    const path = join(dir.path, 'state.json');
    await writeFile(path, '{"a": "text"}');
    const result = await readJsonFile(path, z.object({ a: z.number() }), () => Date.parse('2025-01-02T03:04:05.678Z'));
    assert.equal(result.kind, 'quarantined');
    if (result.kind !== 'quarantined') return;
    assert.match(result.problem.message, /^not a valid file: a: /);
    assert.match(result.problem.movedTo ?? '', /state\.json\.corrupt-2025-01-02T03-04-05-678Z-[0-9a-f]{4}$/);
    assert.match(formatProblem(result.problem), /state\.json: not a valid file.*\(moved to /);
    assert.deepEqual((await readdir(dir.path)).length, 1);
  });

  it('checkWritable passes on a writable folder (creating it) and names the folder when it cannot write', async () => {
    await checkWritable(join(dir.path, 'new', 'folder'));
    assert.deepEqual(await readdir(join(dir.path, 'new', 'folder')), [], 'the probe is removed');
    await writeFile(join(dir.path, 'file'), '');
    const error = await checkWritable(join(dir.path, 'file', 'sub')).catch((e: unknown) => e);
    assert.ok(error instanceof StorageNotWritableError);
    assert.equal(error.path, join(dir.path, 'file', 'sub'));
    assert.match(error.nextStep, /another storage folder/);
  });

  it('KeyedMutex runs tasks per key in order, and a failure does not block the next task', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => () =>
      new Promise<string>((resolve, reject) =>
        setTimeout(() => {
          log.push(name);
          if (fail) reject(new Error(name));
          else resolve(name);
        }, ms),
      );
    const results = await Promise.allSettled([mutex.run('k', task('a', 20, true)), mutex.run('k', task('b', 1)), mutex.run('other', task('c', 5))]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled']);
    assert.deepEqual(log, ['c', 'a', 'b'], 'b waited for a; c on another key did not');
  });

  it('monthOf uses UTC and rejects a non-time', () => {
    assert.equal(monthOf('2025-12-31T23:30:00-01:00'), '2026-01');
    assert.throws(() => monthOf('yesterday'), RangeError);
  });
});
