import assert from 'node:assert/strict';
import { ALLOWED_DECISIONS, DECISION_KINDS, decisionRefusal, DecisionNotAllowedError } from '../../../src/core/session/decisionRules';
import type { ReviewableTicket } from '../../../src/core/session/reviewableTickets';
import type { TicketDecisions } from '../../../src/core/session/ticketDecisions';
import { git, LINES } from './gitFixture';
import { makeDecisionFixture, type DecisionFixture } from './decisionFixture';

const never = () => Promise.reject(new Error('no overlap question expected'));
const edit = (line: string) => LINES(20, 'a').replace('a 1\n', `${line}\n`);

async function ticket(decisions: TicketDecisions, id: string): Promise<ReviewableTicket> {
  const [found] = await decisions.find(id);
  assert.ok(found, id);
  return found;
}

function refusedWith(pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(DecisionNotAllowedError.is(error), String(error));
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/, 'one line');
    return true;
  };
}

describe('ticket decisions follow the graph and say what they did (issue 20 item 6, issue 21 defects 1 and 2)', function () {
  this.timeout(60_000);
  let fx: DecisionFixture;
  afterEach(() => fx?.cleanup());

  it('refuses to accept a ticket built on a rejected dependency, naming it and the next step, with nothing changed', async () => {
    fx = await makeDecisionFixture([
      { id: 'T1', files: { 'src/a.ts': edit('one') } },
      { id: 'T2', files: { 'src/b.ts': 'two\n' }, dependsOn: 'T1' },
      { id: 'T3', files: { 'src/c.ts': 'three\n' } },
    ]);
    const d = fx.decisions();
    await d.reject(await ticket(d, 'T1'));
    const head = git(fx.repo, 'rev-parse', 'HEAD');
    await assert.rejects(d.accept(await ticket(d, 'T2'), never), refusedWith(/^T2 \(batch B1\) is built on T1, which was rejected: accepting it would merge T1's change too\. Reject T2, or run it again in a new batch without T1\.$/));
    assert.equal(git(fx.repo, 'rev-parse', 'HEAD'), head);
    assert.equal(await fx.decision('T2'), undefined, 'T2 still awaits review');
    // A sibling that started from the base carries nobody's work.
    assert.equal((await d.accept(await ticket(d, 'T3'), never)).kind, 'merged');
  });

  it('refuses a ticket built on a dependency still awaiting review until that one is accepted', async () => {
    fx = await makeDecisionFixture([
      { id: 'T1', files: { 'src/a.ts': edit('one') } },
      { id: 'T2', files: { 'src/a.ts': edit('one').replace('a 2\n', 'two\n') }, dependsOn: 'T1' },
    ]);
    const d = fx.decisions();
    await assert.rejects(d.accept(await ticket(d, 'T2'), never), refusedWith(/is built on T1, which awaits review: .* Accept T1 first, or reject T2\.$/));
    assert.equal((await d.accept(await ticket(d, 'T1'), never)).kind, 'merged');
    assert.equal((await d.accept(await ticket(d, 'T2'), never)).kind, 'merged');
    assert.match(git(fx.repo, 'show', 'HEAD:src/a.ts'), /^one\ntwo\n/);
  });

  it('finds an overlap with an accepted ticket by its recorded commit after its branch is gone', async () => {
    fx = await makeDecisionFixture([
      { id: 'T1', files: { 'src/a.ts': edit('one') } },
      { id: 'T2', files: { 'src/a.ts': edit('two') } },
    ]);
    const d = fx.decisions();
    // T1 goes into a release branch; the user then switches back to main, which does not have it.
    git(fx.repo, 'checkout', '-q', '-b', 'release');
    const accepted = await d.accept(await ticket(d, 'T1'), never);
    assert.equal(accepted.kind, 'merged');
    assert.equal(git(fx.repo, 'branch', '--list', 'flotilla/B1/T1'), '', 'accept deleted its branch');
    assert.equal((await fx.decision('T1'))?.branchTip, fx.commits.get('T1'));
    git(fx.repo, 'checkout', '-q', 'main');
    const head = git(fx.repo, 'rev-parse', 'HEAD');
    let asked = '';
    const outcome = await d.accept(await ticket(d, 'T2'), (warnings) => {
      asked = warnings.map((w) => `${w.other.ticketId}: ${w.conflicts.map((c) => c.path).join(', ')}`).join('; ');
      return Promise.resolve(false);
    });
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(asked, 'T1: src/a.ts');
    assert.equal(git(fx.repo, 'rev-parse', 'HEAD'), head);
  });

  it('reports and stores the commit that is on the branch: the merge with status: done folded in', async () => {
    fx = await makeDecisionFixture([{ id: 'T1', files: { 'src/a.ts': edit('one') } }]);
    const d = fx.decisions();
    const outcome = await d.accept(await ticket(d, 'T1'), never);
    assert.equal(outcome.kind, 'merged');
    if (outcome.kind !== 'merged') return;
    const head = git(fx.repo, 'rev-parse', 'HEAD');
    assert.equal(outcome.commit, head);
    assert.equal((await fx.decision('T1'))?.commit, head);
    assert.equal((await fx.decision('T1'))?.into, 'main');
    assert.match(git(fx.repo, 'show', 'HEAD:.flotilla/tickets/T1.md'), /^status: done$/m);
    assert.equal(git(fx.repo, 'rev-parse', 'HEAD^2'), fx.commits.get('T1'));
    assert.equal(git(fx.repo, 'status', '--porcelain'), '');
  });

  it('refuses every decision on an accepted or rejected ticket with one line, and changes nothing', async () => {
    fx = await makeDecisionFixture([
      { id: 'T1', files: { 'src/a.ts': edit('one') } },
      { id: 'T2', files: { 'src/b.ts': 'two\n' } },
    ]);
    const d = fx.decisions();
    const t1 = await ticket(d, 'T1');
    await d.accept(t1, never);
    await d.reject(await ticket(d, 'T2'));
    const head = git(fx.repo, 'rev-parse', 'HEAD');
    const stored = await fx.decision('T1');
    const accepted = await ticket(d, 'T1');
    await assert.rejects(d.reject(accepted), refusedWith(/^T1 \(batch B1\) was already accepted into main \(commit [0-9a-f]{12}\); rejecting it now would not take that merge back\./));
    // The caller's copy may be stale (read before the accept): core reads the stored state again.
    await assert.rejects(d.reject(t1), refusedWith(/was already accepted into main/));
    await assert.rejects(d.accept(accepted, never), refusedWith(/was already accepted into main .*nothing left to merge/));
    await assert.rejects(d.acceptFile(accepted, { path: 'src/a.ts', status: 'modified' }), refusedWith(/its files can no longer be decided one by one/));
    const [rejected] = await d.find('T2', 'B1');
    await assert.rejects(d.accept(rejected!, never), refusedWith(/^T2 \(batch B1\) was rejected: its branch is gone\. Run it again in a new batch\.$/));
    await assert.rejects(d.reject(rejected!), refusedWith(/was already rejected/));
    assert.equal(git(fx.repo, 'rev-parse', 'HEAD'), head);
    assert.deepEqual(await fx.decision('T1'), stored);
    assert.equal((await fx.decision('T2'))?.ticket, 'rejected');
  });

  it('has one table: a ticket awaiting review takes every decision, a decided one none, each refusal one line', () => {
    assert.deepEqual(ALLOWED_DECISIONS.awaitingReview, DECISION_KINDS);
    const decided = [
      { ticketId: 'T1', batchId: 'B', decision: { ticket: 'accepted' as const, into: 'main', commit: 'a'.repeat(40), at: '', files: {} } },
      { ticketId: 'T1', batchId: 'B', decision: { ticket: 'rejected' as const, at: '', files: {} } },
    ];
    for (const kind of DECISION_KINDS) {
      assert.equal(decisionRefusal({ ticketId: 'T1', batchId: 'B', decision: undefined }, kind), undefined, kind);
      for (const t of decided) assert.match(decisionRefusal(t, kind) ?? '', /^T1 \(batch B\) was (already accepted into main \(commit a{12}\)|already rejected|rejected)[^\n]*\.$/, kind);
    }
  });

  it('serialises two accepts of one batch at once: one merges, the other is refused with the conflict, the repository stays consistent', async () => {
    fx = await makeDecisionFixture([
      { id: 'T1', files: { 'src/a.ts': edit('one') } },
      { id: 'T2', files: { 'src/a.ts': edit('two') } },
    ]);
    // Two sessions, as the editor and a CLI would have, each with its own view of the batch.
    const [a, b] = [fx.decisions(), fx.decisions()];
    const [t1, t2] = [await ticket(a, 'T1'), await ticket(b, 'T2')];
    const outcomes = await Promise.all([a.accept(t1, never), b.accept(t2, never)]);
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['merged', 'refused']);
    const refused = outcomes.find((o) => o.kind === 'refused');
    assert.match(refused?.kind === 'refused' ? refused.message : '', /would conflict in 1 file\(s\): src\/a\.ts/);
    assert.equal(git(fx.repo, 'status', '--porcelain'), '');
    const merged = outcomes[0]?.kind === 'merged' ? 'T1' : 'T2';
    assert.equal(git(fx.repo, 'rev-parse', 'HEAD^2'), fx.commits.get(merged));
    assert.equal((await fx.decision(merged))?.ticket, 'accepted');
    assert.equal(await fx.decision(merged === 'T1' ? 'T2' : 'T1'), undefined);
  });
});
