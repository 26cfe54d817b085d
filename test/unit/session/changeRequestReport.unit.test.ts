import assert from 'node:assert/strict';
import { GitClient } from '../../../src/core/git/gitClient';
import { changeRequestReport, changeRequestText } from '../../../src/core/session/changeRequestReport';
import type { TicketRecord } from '../../../src/core/batch/batchTypes';
import { git, LINES, makeRepo, write } from './gitFixture';

const after = (over: Partial<TicketRecord>): TicketRecord => ({
  id: 'T1', title: 't', complexityClass: 'standard', score: 30, tier: 'fast', model: 'claude-haiku-5-5', reason: '', maxTier: null, state: 'done', detail: '', stages: [], fixLoops: 1,
  escalations: 0, tierHistory: [], review: { level: 'standard', result: 'PASS', findings: 0 }, branch: 'flotilla/B/T1', commit: null, diffStats: [], costUsd: 0.0123, tokens: 100, ...over,
});

describe('what a Request Changes did, when its fix loop has finished', () => {
  it('names the files the fix loop changed (not the whole ticket), with their line counts', async () => {
    const env = makeRepo();
    try {
      const wt = env.branch('flotilla/B/T1', { 'src/a.ts': LINES(20, 'a').replace('a 2\n', 'A2\n') });
      const before = git(wt, 'rev-parse', 'HEAD');
      write(wt, 'src/b.ts', `${LINES(5, 'b')}b 6\nb 7\n`);
      write(wt, 'src/c.ts', 'new\n');
      git(wt, 'add', '--all');
      git(wt, 'commit', '-qm', 'fix loop');
      const report = await changeRequestReport(new GitClient(), env.repo, { ticketId: 'T1', commit: before }, after({ commit: git(wt, 'rev-parse', 'HEAD') }));
      assert.equal(report.passed, true);
      assert.deepEqual(report.changed.map((c) => c.path), ['src/b.ts', 'src/c.ts'], 'src/a.ts was the first run\'s change');
      assert.equal(report.text, 'T1: your change request is done — standard review PASS ($0.012 in all). Changed: src/b.ts (+2 −0), src/c.ts (+1 −0).');
      const unchanged = await changeRequestReport(new GitClient(), env.repo, { ticketId: 'T1', commit: before }, after({ commit: before }));
      assert.deepEqual(unchanged.changed, []);
      assert.match(unchanged.text, /The agent changed no file\.$/);
    } finally {
      env.cleanup();
    }
  });

  it('says how a change request that did not pass ended, with the reason', () => {
    assert.equal(
      changeRequestText('D3', { state: 'failed', detail: 'test gate failed after 1 fix loop', costUsd: 0.004, review: null }, [{ path: 'src/wordCount.js', added: 3, deleted: 1 }]),
      'D3: your change request ended failed: test gate failed after 1 fix loop ($0.004 in all). Changed: src/wordCount.js (+3 −1).',
    );
    assert.equal(changeRequestText('D3', { state: 'cancelled', detail: '', costUsd: null, review: null }, [{ path: 'logo.png', added: null, deleted: null }]), 'D3: your change request was cancelled (cost unknown). Changed: logo.png (binary).');
  });
});
