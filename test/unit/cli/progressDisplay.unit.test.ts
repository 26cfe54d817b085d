import assert from 'node:assert/strict';
import { ProgressDisplay } from '../../../src/cli/progressDisplay';
import type { BatchEstimate } from '../../../src/core/batch/batchEstimate';
import type { ReviewReport } from '../../../src/core/batch/batchTypes';

const estimate: BatchEstimate = {
  mode: 'direct',
  modeReason: '3 tickets: orchestrated $0.0655 vs single-agent $0.0623 (overheads only); shared planning pays from 32 fast tickets, so run direct (no shared planning)',
  breakEven: { orchestratedUsd: 0.0655, singleAgentUsd: 0.0623, breakEvenTickets: 32, mode: 'direct', explanation: '' },
  capUsd: 36,
  worstCase: { runsPerTicket: 6, capPerRunUsd: 2 },
};

const failedReview: ReviewReport = {
  attempt: 1,
  model: 'claude-haiku-5-5',
  passed: false,
  level: 'standard',
  summary: 'test gate failed',
  findings: 0,
  gates: [{ name: 'test', command: 'node --test', status: 'fail', exitCode: 1, durationMs: 900, outputTail: 'not ok 3' }],
  next: 'fix loop 1 of 1 on fast',
};

describe('flotilla run progress (piped lines)', () => {
  it('says once, in plain words, whether shared planning runs, and prints a failed gate with what happens next', () => {
    const out: string[] = [];
    const display = new ProgressDisplay({ out: (l) => out.push(l), err: () => undefined }, 'lines');
    display.onEvent({ type: 'batch-started', batchId: 'B1', baseCommit: 'c', estimate, tickets: [], simulated: true });
    display.onEvent({ type: 'planning', status: 'skipped', detail: estimate.modeReason });
    display.onEvent({ type: 'ticket-reviewed', id: 'D3', review: failedReview });
    display.onEvent({ type: 'ticket-reviewed', id: 'D3', review: { ...failedReview, attempt: 3, passed: true, next: null } });
    assert.deepEqual(out, [
      'batch B1 (simulated): 0 tickets. Shared planning: not used — it pays from about 32 tickets like these.',
      'D3: not accepted after run 1 — test gate failed (test exit 1); next: fix loop 1 of 1 on fast',
    ]);
  });
});
