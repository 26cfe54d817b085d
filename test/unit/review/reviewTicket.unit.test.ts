import assert from 'node:assert/strict';
import type { ProcessResult, ProcessRunner, RunOptions } from '../../../src/core/process/processRunner';
import { reviewTicket, type ReviewTicketInfo } from '../../../src/core/review/reviewTicket';
import { fakeDiff, lines } from './diffFixtures';
import { fail, FakeReviewModel, MapCache, META, pass } from './fakeReviewModel';

const ticket: ReviewTicketInfo = { id: 'T1', title: 'A change', description: 'Do it.', acceptance: ['It works'], review: 'auto' };
const commands = { build: 'npm run build', lint: 'npm run lint', test: 'npm test' };

/** A process runner that answers by command line: exit code per `file args`, 0 by default. */
function fakeRunner(exitCodes: Record<string, number> = {}): ProcessRunner & { readonly ran: string[]; readonly cwds: string[] } {
  const ran: string[] = [];
  const cwds: string[] = [];
  const runner = async (file: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> => {
    const line = [file, ...args].join(' ');
    ran.push(line);
    cwds.push(options.cwd);
    const exitCode = exitCodes[line] ?? 0;
    return { exitCode, killedBy: null, stdout: `ran ${line}`, stderr: '', stdoutTruncated: false, stderrTruncated: false, timedOut: false, aborted: false };
  };
  return Object.assign(runner, { ran, cwds });
}

const docsDiff = fakeDiff([{ path: 'README.md', added: ['Better words'] }]);
const codeDiff = fakeDiff([{ path: 'src/format.ts', added: lines(10), start: 20 }]);
const dropDiff = fakeDiff([{ path: 'db/migrations/0043_drop.sql', added: ['DROP TABLE legacy_orders;'] }]);

describe('reviewTicket', () => {
  it('reviews a docs-only change at minimal: build and lint, no tests, no model', async () => {
    const runner = fakeRunner();
    const model = new FakeReviewModel(() => pass());
    const outcome = await reviewTicket({ ticket, diff: docsDiff, worktree: '/wt/T1', commands, model, meta: META, gateOptions: { runner } });
    assert.equal(outcome.level, 'minimal');
    assert.deepEqual(runner.ran.sort(), ['npm run build', 'npm run lint']);
    assert.ok(runner.cwds.every((cwd) => cwd === '/wt/T1'));
    assert.equal(model.calls.length, 0);
    assert.equal(outcome.verdict, 'PASS');
    assert.match(outcome.reasons[0] ?? '', /^risk \d+ → minimal$/);
  });

  it('reviews a small code change at standard: tests and the T1 checklist on the fast tier', async () => {
    const runner = fakeRunner();
    const model = new FakeReviewModel(() => fail({ file: 'src/format.ts', line: 21, severity: 'error', message: 'acceptance "It works" is not met' }));
    const outcome = await reviewTicket({ ticket, diff: codeDiff, worktree: '/wt', commands, model, meta: META, gateOptions: { runner } });
    assert.equal(outcome.level, 'standard');
    assert.equal(runner.ran.length, 3);
    assert.deepEqual(model.calls.map((c) => [c.role, c.tier]), [['T1', 'fast']]);
    assert.equal(outcome.verdict, 'FAIL');
    assert.deepEqual(outcome.findings.map((f) => [f.source, f.inDiff]), [['T1', true]]);
  });

  it('reviews a migration with DROP TABLE comprehensively: T1, T2 and the T3 panel', async () => {
    const runner = fakeRunner();
    const finding = { file: 'db/migrations/0043_drop.sql', line: 1, severity: 'error' as const, message: 'No down migration' };
    const model = new FakeReviewModel((call) => (call.role === 'A' || call.role === 'judge' || call.role === 'T2' ? fail(finding) : pass()));
    const outcome = await reviewTicket({ ticket, diff: dropDiff, worktree: '/wt', commands, model, meta: META, gateOptions: { runner } });
    assert.equal(outcome.level, 'comprehensive');
    assert.deepEqual(outcome.modelReviews.map((r) => [r.kind, r.verdict]), [['T1', 'PASS'], ['T2', 'FAIL'], ['T3', 'FAIL']]);
    assert.deepEqual(model.rolesCalled().sort(), ['A', 'B', 'T1', 'T2', 'judge']);
    assert.equal(outcome.verdict, 'FAIL');
    // T2 and the judge report the same problem: one comment in the outcome, both reviews keep theirs.
    assert.deepEqual(outcome.findings.map((f) => f.source), ['T2']);
    assert.equal(outcome.modelReviews[2]?.findings.length, 1);
    assert.ok(outcome.reasons.some((r) => r.includes('destructive SQL: DROP TABLE')));
  });

  it('does not pay for model reviews when a gate failed, and says why', async () => {
    const runner = fakeRunner({ 'npm test': 1 });
    const model = new FakeReviewModel(() => pass());
    const outcome = await reviewTicket({ ticket: { ...ticket, review: 'thorough' }, diff: codeDiff, worktree: '/wt', commands, model, meta: META, gateOptions: { runner } });
    assert.equal(outcome.level, 'thorough');
    assert.equal(model.calls.length, 0);
    assert.deepEqual(outcome.skippedReviews, [
      { kind: 'T1', reason: 'not run: a command gate failed' },
      { kind: 'T2', reason: 'not run: a command gate failed' },
    ]);
    assert.equal(outcome.gates.gates.find((g) => g.name === 'test')?.status, 'fail');
    assert.equal(outcome.verdict, 'FAIL');
  });

  it('runs the reviews anyway when asked to, and passes only when everything passed', async () => {
    const failing = await reviewTicket({
      ticket, diff: codeDiff, worktree: '/wt', commands, model: new FakeReviewModel(() => pass()), meta: META,
      gateOptions: { runner: fakeRunner({ 'npm run lint': 1 }) }, reviewEvenIfGatesFail: true,
    });
    assert.equal(failing.modelReviews.length, 1);
    assert.equal(failing.verdict, 'FAIL');
    const passing = await reviewTicket({ ticket, diff: codeDiff, worktree: '/wt', commands, model: new FakeReviewModel(() => pass()), meta: META, gateOptions: { runner: fakeRunner() } });
    assert.equal(passing.verdict, 'PASS');
  });

  it('honours alwaysFullFor and reuses cached reviews on a second run of the same diff', async () => {
    const cache = new MapCache();
    const model = new FakeReviewModel(() => pass());
    const input = { ticket, diff: docsDiff, worktree: '/wt', commands, model, meta: META, cache, alwaysFullFor: ['README'], gateOptions: { runner: fakeRunner() } };
    const first = await reviewTicket(input);
    assert.equal(first.level, 'comprehensive');
    assert.equal(model.calls.length, 5);
    const second = await reviewTicket(input);
    assert.equal(model.calls.length, 5);
    assert.ok(second.modelReviews.every((r) => r.calls.every((c) => c.cached)));
    assert.equal(second.verdict, 'PASS');
  });
});
