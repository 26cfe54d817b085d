import assert from 'node:assert/strict';
import type { StoredFinding } from '../../../src/core/store/storedReview';
import { placeThreads } from '../../../src/core/session/threadPlacement';

const finding = (over: Partial<StoredFinding>): StoredFinding => ({ file: 'src/a.ts', line: 3, severity: 'warning', message: 'm', source: 'T1', inDiff: true, fileInDiff: true, ...over });

describe('placeThreads', () => {
  it('puts a finding on a changed line on that line (zero-based)', () => {
    const [t] = placeThreads([finding({ line: 3 })], ['src/a.ts']);
    assert.deepEqual({ file: t?.file, line: t?.line, fileLevel: t?.fileLevel, label: t?.label }, { file: 'src/a.ts', line: 2, fileLevel: false, label: 'T1 · warning' });
  });

  it('keeps a line outside the diff at file level with a note, and a file-level finding at line 0', () => {
    const [outside, whole] = placeThreads([finding({ line: 40, inDiff: false }), finding({ line: null, source: 'T2' })], ['src/a.ts']);
    assert.equal(outside?.line, 0);
    assert.equal(outside?.fileLevel, true);
    assert.match(outside?.note ?? '', /line 40 is outside the changed lines/);
    assert.equal(whole?.line, 0);
    assert.equal(whole?.fileLevel, true);
    assert.equal(whole?.note, undefined);
  });

  it('puts a finding about a file outside the change on the first changed file, naming it — never drops it', () => {
    const placed = placeThreads([finding({ file: 'src/elsewhere.ts', line: 7, inDiff: false, fileInDiff: false })], ['src/a.ts', 'src/b.ts']);
    assert.equal(placed.length, 1);
    assert.equal(placed[0]?.file, 'src/a.ts');
    assert.match(placed[0]?.note ?? '', /src\/elsewhere\.ts:7/);
  });

  it('treats a finding whose file was rejected since the review as outside the change', () => {
    const [t] = placeThreads([finding({ file: 'src/gone.ts' })], ['src/a.ts']);
    assert.equal(t?.file, 'src/a.ts');
    assert.equal(t?.fileLevel, true);
  });
});
