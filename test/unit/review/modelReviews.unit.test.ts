import assert from 'node:assert/strict';
import { parseUnifiedDiff } from '../../../src/core/review/diffSummary';
import { DiffIndex, placeFindings } from '../../../src/core/review/findings';
import { runModelReview } from '../../../src/core/review/modelReviews';
import type { ReviewContext } from '../../../src/core/review/reviewPrompts';
import { fakeDiff } from './diffFixtures';
import { fail, FakeReviewModel, META, pass } from './fakeReviewModel';

const diff = fakeDiff([
  { path: 'db/migrations/0043_drop.sql', added: ['DROP TABLE legacy_orders;'], start: 1 },
  { path: 'src/orders/repo.ts', added: ['const a = 1;', 'const b = 2;', 'const c = 3;'], start: 10 },
]);
const index = new DiffIndex(diff);
const context: ReviewContext = {
  ticket: { id: 'M7', title: 'Drop the legacy orders table', description: 'It is unused.', acceptance: ['No code reads legacy_orders'] },
  diff: diff.unified,
  checklist: ['No secrets'],
};
const deps = (model: FakeReviewModel) => ({ model, meta: META, diffHash: 'h' });
const dataLoss = { file: 'db/migrations/0043_drop.sql', line: 1, severity: 'error' as const, message: 'Drops data without a backup or a down migration' };

describe('T1 and T2', () => {
  it('run once on their tier and place their findings', async () => {
    const model = new FakeReviewModel((call) => (call.role === 'T1' ? pass() : fail({ ...dataLoss, file: 'b/db/migrations/0043_drop.sql' })));
    const t1 = await runModelReview('T1', context, index, deps(model));
    const t2 = await runModelReview('T2', context, index, deps(model));
    assert.deepEqual(model.calls.map((c) => [c.role, c.tier]), [['T1', 'fast'], ['T2', 'balanced']]);
    assert.equal(t1.verdict, 'PASS');
    assert.equal(t2.verdict, 'FAIL');
    assert.deepEqual(t2.findings, [{ ...dataLoss, source: 'T2', inDiff: true, fileInDiff: true }]);
  });

  it('T1 sees the acceptance list and the house checklist', async () => {
    const model = new FakeReviewModel(() => pass());
    await runModelReview('T1', context, index, deps(model));
    const text = model.calls[0]?.prompt.messages[0]?.content ?? '';
    assert.match(text, /- No code reads legacy_orders/);
    assert.match(text, /<house-checklist>\n- No secrets\n<\/house-checklist>/);
  });
});

describe('T3: two reviewers and a judge', () => {
  it('gives the judge both reviews when the reviewers disagree, and takes its verdict (FAIL)', async () => {
    const model = new FakeReviewModel((call) => {
      if (call.role === 'A') return fail(dataLoss);
      if (call.role === 'B') return pass('migration is fine');
      return fail(dataLoss);
    });
    const t3 = await runModelReview('T3', context, index, deps(model));
    assert.deepEqual(model.rolesCalled().slice(0, 2).sort(), ['A', 'B']);
    assert.equal(model.rolesCalled()[2], 'judge');
    assert.ok(model.calls.every((c) => c.tier === 'strong'));
    assert.notEqual(model.calls[0]?.prompt.system, model.calls[1]?.prompt.system);

    const judgeInput = model.calls[2]?.prompt.messages[0]?.content ?? '';
    assert.match(judgeInput, /<review reviewer="A">[\s\S]*"verdict": "FAIL"[\s\S]*Drops data without a backup/);
    assert.match(judgeInput, /<review reviewer="B">[\s\S]*"verdict": "PASS"[\s\S]*migration is fine/);

    assert.equal(t3.verdict, 'FAIL');
    assert.deepEqual(t3.findings.map((f) => [f.file, f.line, f.source]), [['db/migrations/0043_drop.sql', 1, 'T3']]);
    assert.deepEqual(t3.calls.map((c) => c.role), ['T3-A', 'T3-B', 'T3-judge']);
  });

  it('lets the judge overrule a FAIL it finds wrong (PASS, finding dropped)', async () => {
    const model = new FakeReviewModel((call) => {
      if (call.role === 'A') return fail({ ...dataLoss, message: 'table is still read by reports' });
      if (call.role === 'B') return pass();
      return JSON.stringify({ verdict: 'PASS', findings: [], summary: 'A is wrong: nothing reads the table' });
    });
    const t3 = await runModelReview('T3', context, index, deps(model));
    assert.equal(t3.verdict, 'PASS');
    assert.deepEqual(t3.findings, []);
    assert.equal(t3.summary, 'A is wrong: nothing reads the table');
    assert.equal(t3.calls[0]?.verdict, 'FAIL');
  });

  it('tells the judge when one reviewer gave no usable review', async () => {
    const model = new FakeReviewModel((call) => (call.role === 'A' ? 'not json at all' : call.role === 'B' ? fail(dataLoss) : fail(dataLoss)));
    const t3 = await runModelReview('T3', context, index, deps(model));
    // A was asked twice (one repair), B once, then the judge.
    assert.deepEqual(model.rolesCalled().filter((r) => r === 'A').length, 2);
    const judgeInput = model.calls.find((c) => c.role === 'judge')?.prompt.messages[0]?.content ?? '';
    assert.match(judgeInput, /<review reviewer="A">\n\(no usable review: review output invalid: the reply is not JSON/);
    assert.equal(t3.verdict, 'FAIL');
  });

  it('fails without a judge call when neither reviewer gave a usable review', async () => {
    const model = new FakeReviewModel(() => '```json\n{"verdict": "PASS", "findings": "none"}\n```');
    const t3 = await runModelReview('T3', context, index, deps(model));
    assert.equal(model.rolesCalled().includes('judge'), false);
    assert.equal(t3.verdict, 'FAIL');
    assert.match(t3.reason ?? '', /^both reviewers' output was invalid \(A: review output invalid: findings: /);
  });

  it("keeps the reviewers' findings when the judge's output is unusable", async () => {
    const model = new FakeReviewModel((call) => (call.role === 'judge' ? '' : fail(dataLoss)));
    const t3 = await runModelReview('T3', context, index, deps(model));
    assert.equal(t3.verdict, 'FAIL');
    assert.match(t3.reason ?? '', /^judge: review output invalid: the reply was empty/);
    assert.equal(t3.findings.length, 1, 'the same finding from A and B is kept once');
  });
});

describe('finding placement', () => {
  it('marks findings outside the diff instead of dropping them', () => {
    const placed = placeFindings(
      [
        { file: 'src/orders/repo.ts', line: 11, severity: 'warning', message: 'in a hunk' },
        { file: 'src/orders/repo.ts', line: 40, severity: 'warning', message: 'changed file, unchanged line' },
        { file: './src/orders/repo.ts', line: null, severity: 'info', message: 'whole file' },
        { file: 'src/orders/service.ts', line: 3, severity: 'error', message: 'file not in the diff' },
      ],
      index,
      'T2',
    );
    assert.deepEqual(
      placed.map((f) => [f.file, f.line, f.inDiff, f.fileInDiff]),
      [
        ['src/orders/repo.ts', 11, true, true],
        ['src/orders/repo.ts', 40, false, true],
        ['src/orders/repo.ts', null, true, true],
        ['src/orders/service.ts', 3, false, false],
      ],
    );
  });

  it('reads hunk ranges, deleted files and quoted paths from git output', () => {
    const text = [
      'diff --git a/old.ts b/old.ts',
      'deleted file mode 100644',
      '--- a/old.ts',
      '+++ /dev/null',
      '@@ -1,2 +0,0 @@',
      '-a',
      '-b',
      'diff --git "a/my \\"odd\\" name.ts" "b/my \\"odd\\" name.ts"',
      '--- "a/my \\"odd\\" name.ts"',
      '+++ "b/my \\"odd\\" name.ts"',
      '@@ -5 +5,3 @@ function x() {',
      ' context',
      '+new',
      '+--- not a header',
      'diff --git a/img.png b/img.png',
      'Binary files a/img.png and b/img.png differ',
    ].join('\n');
    const files = parseUnifiedDiff(text);
    assert.deepEqual(
      files.map((f) => [f.path, f.hunks, f.addedLines, f.removedLines]),
      [
        ['old.ts', [{ start: 0, count: 0 }], [], ['a', 'b']],
        ['my "odd" name.ts', [{ start: 5, count: 3 }], ['new', '--- not a header'], []],
        ['img.png', [], [], []],
      ],
    );
  });
});
