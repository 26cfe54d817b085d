import assert from 'node:assert/strict';
import { storedReviewSchema } from '../../../src/core/store/storedReview';
import { fileDecisionLines, verdictLabel, verdictView } from '../../../src/core/session/reviewVerdict';

const gate = (name: string, status: string, output: string, exitCode: number | null = status === 'pass' ? 0 : 1) => ({ name, command: `npm run ${name}`, status, exitCode, durationMs: 1200, output });

describe('the verdict of a review, in words', () => {
  it('says the level, what it runs and why, each model review\'s summary and the gates', () => {
    const review = storedReviewSchema.parse({
      level: 'standard',
      verdict: 'PASS',
      reasons: ['risk 31: tests changed, 2 files'],
      gates: { verdict: 'PASS', gates: [gate('build', 'pass', ''), gate('test', 'pass', 'ok')] },
      modelReviews: [{ kind: 'T1', tier: 'fast', verdict: 'PASS', summary: 'Does what the ticket asks.', findings: [], calls: [] }],
      findings: [{ file: 'a.js', line: 3, severity: 'info', message: 'm', source: 'T1', inDiff: true, fileInDiff: true }],
    });
    const view = verdictView(review);
    assert.equal(view.verdict, 'PASS');
    assert.equal(view.levelWords, 'build, lint and tests, then a checklist review (T1)');
    assert.equal(view.levelReason, 'risk 31: tests changed, 2 files');
    assert.deepEqual(view.reviews, ['T1 (fast): PASS — Does what the ticket asks.']);
    assert.equal(view.gates, 'build ✓ · test ✓');
    assert.deepEqual(view.failedGates, []);
    assert.equal(view.findings, 1);
    assert.equal(verdictLabel(view), 'Flotilla verdict: PASS · standard review');
  });

  it('lists the failed gates of earlier attempts with the end of their output, then those of the attempt under review', () => {
    const long = Array.from({ length: 40 }, (_, i) => (i === 4 ? 'not ok 3 - countWords of an empty text is 0' : `line ${i + 1}`)).join('\n');
    const review = storedReviewSchema.parse({
      level: 'minimal',
      verdict: 'FAIL',
      attempt: 2,
      gates: { verdict: 'FAIL', gates: [gate('lint', 'timeout', 'still linting', null)] },
      skippedReviews: [{ kind: 'T1', reason: 'not run: a command gate failed' }],
      earlierAttempts: [{ attempt: 1, model: 'claude-haiku-5-5', level: 'minimal', summary: 'test gate failed', gates: [gate('test', 'fail', `${long}\r\n`), gate('build', 'pass', '')] }],
    });
    const view = verdictView(review);
    assert.deepEqual(view.failedGates.map((g) => g.title), ['Attempt 1 on claude-haiku-5-5: test failed (exit 1)', 'Attempt 2: lint failed (timed out)']);
    const tail = view.failedGates[0]?.outputTail.split('\n') ?? [];
    assert.deepEqual(tail, ['not ok 3 - countWords of an empty text is 0', '… 24 more lines in Show Gate Output', ...Array.from({ length: 15 }, (_, i) => `line ${i + 26}`)]);
    assert.deepEqual(view.skipped, ['T1 not run: a command gate failed']);
    assert.equal(view.gates, 'lint ✗');
    assert.equal(verdictLabel(view), 'Flotilla verdict: FAIL · minimal review');
  });

  it('reads a review stored before verdicts and summaries were written', () => {
    const view = verdictView(storedReviewSchema.parse({ level: 'thorough', gates: { verdict: 'PASS', gates: [] } }));
    assert.equal(view.verdict, null);
    assert.equal(view.gates, null);
    assert.deepEqual(view.reviews, []);
  });

  it('is out of date once a file was decided on its own, and lists the files accepted and rejected', () => {
    const review = storedReviewSchema.parse({ level: 'standard', verdict: 'PASS', gates: { verdict: 'PASS', gates: [] } });
    const fresh = verdictView(review);
    assert.equal(verdictLabel(fresh), 'Flotilla verdict: PASS · standard review');
    assert.deepEqual(fileDecisionLines(fresh), []);
    const decided = verdictView(review, { 'src/b.ts': 'rejected', 'src/a.ts': 'accepted', 'src/c.ts': 'rejected' });
    assert.equal(verdictLabel(decided), 'Flotilla verdict: PASS · standard review · out of date');
    assert.deepEqual(fileDecisionLines(decided), [
      'Out of date: this verdict was given on the change before your file decisions. Request Changes to have it reviewed again.',
      "Rejected (taken back to the base on the ticket's branch, no longer in this review): src/b.ts, src/c.ts",
      'Accepted (committed on your branch): src/a.ts',
    ]);
  });
});
