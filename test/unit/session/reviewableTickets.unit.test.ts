import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reviewFile } from '../../../src/core/batch/batchRecorder';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { recordDecision } from '../../../src/core/session/reviewDecisions';
import { listReviewableTickets } from '../../../src/core/session/reviewableTickets';
import { loadStoredReview } from '../../../src/core/store/storedReview';
import { renderGateReport } from '../../../src/core/session/gateReport';

const record = (id: string, state: string, branch: string | null) => ({ id, title: `title ${id}`, state, branch, commit: branch ? 'c0ffee' : null, stages: [] });

describe('review records', () => {
  let storage: string;
  beforeEach(() => {
    storage = mkdtempSync(join(tmpdir(), 'flotilla-review-records-'));
  });
  afterEach(() => rmSync(storage, { recursive: true, force: true }));

  async function seedBatch(store: BatchStateStore): Promise<void> {
    await store.create({ id: 'B1', mode: 'direct', ticketIds: ['T1', 'T2', 'T3'], baseCommit: 'base1', extra: { resume: { repoRoot: '/repo', mode: 'direct', tier: 'auto', simulated: true } } });
    await store.update('B1', (s) => ({ ...s, status: 'done', extra: { ...s.extra, records: { T1: record('T1', 'done', 'flotilla/B1/T1'), T2: record('T2', 'failed', 'flotilla/B1/T2'), T3: { broken: true } } } }));
  }

  it('lists done tickets with a branch, skips failed and malformed records, and carries decisions', async () => {
    const store = new BatchStateStore({ storage });
    await seedBatch(store);
    let tickets = await listReviewableTickets(store, storage);
    assert.deepEqual(tickets.map((t) => [t.batchId, t.ticketId, t.branch, t.baseCommit, t.repoRoot]), [['B1', 'T1', 'flotilla/B1/T1', 'base1', '/repo']]);
    assert.equal(tickets[0]?.worktree, join(storage, 'worktrees', 'B1', 'T1'));
    assert.equal(tickets[0]?.decision, undefined);

    await recordDecision(store, 'B1', 'T1', { file: { path: 'src/a.ts', decision: 'rejected' } });
    await recordDecision(store, 'B1', 'T1', { ticket: 'accepted' });
    tickets = await listReviewableTickets(store, storage);
    assert.equal(tickets[0]?.decision?.ticket, 'accepted');
    assert.deepEqual(tickets[0]?.decision?.files, { 'src/a.ts': 'rejected' });
  });

  it('reads a stored review, reports a missing one, and reports (not throws) an invalid one', async () => {
    assert.equal((await loadStoredReview(storage, 'B1', 'T1')).kind, 'missing');
    const file = reviewFile(storage, 'B1', 'T1');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify({ level: 'standard', gates: { verdict: 'PASS', gates: [{ name: 'test', command: 'npm test', status: 'pass', exitCode: 0, durationMs: 1200, output: '3 passing' }] }, findings: [{ file: 'src/a.ts', line: 2, severity: 'error', message: 'off by one', source: 'T1', inDiff: true, fileInDiff: true }] }));
    const ok = await loadStoredReview(storage, 'B1', 'T1');
    assert.equal(ok.kind, 'ok');
    if (ok.kind !== 'ok') return;
    assert.equal(ok.review.findings[0]?.message, 'off by one');
    const report = renderGateReport('T1', ok.review);
    assert.match(report, /== test: pass, exit 0, 1\.2 s ==\n\$ npm test\n3 passing/);

    // A ticket that failed its test gate on attempt 1 and passed on attempt 2: both are shown, the failure first.
    const failedGate = { name: 'test', command: 'npm test', status: 'fail', exitCode: 1, durationMs: 900, output: 'not ok 3 - empty text counts 0\n# fail 1' };
    writeFileSync(file, JSON.stringify({ level: 'standard', attempt: 2, gates: { verdict: 'PASS', gates: [{ ...failedGate, status: 'pass', exitCode: 0, output: '# pass 3' }] }, earlierAttempts: [{ attempt: 1, model: 'claude-haiku-5-5', level: 'standard', summary: 'test gate failed', gates: [failedGate] }] }));
    const twice = await loadStoredReview(storage, 'B1', 'T1');
    assert.equal(twice.kind, 'ok');
    if (twice.kind !== 'ok') return;
    assert.match(renderGateReport('T1', twice.review), /#### Attempt 1 on claude-haiku-5-5: not accepted — test gate failed\n\n== test: fail, exit 1, 0\.9 s ==\n\$ npm test\nnot ok 3 - empty text counts 0\n# fail 1\n\n#### Attempt 2 \(the result under review\)\n\n== test: pass, exit 0/);

    writeFileSync(file, '{"level": 3}');
    const invalid = await loadStoredReview(storage, 'B1', 'T1');
    assert.equal(invalid.kind, 'invalid');
  });
});
