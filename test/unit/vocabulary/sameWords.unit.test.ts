import assert from 'node:assert/strict';
import type { CliIo } from '../../../src/cli/cliIo';
import { renderSummary } from '../../../src/cli/progressDisplay';
import { reportCommand } from '../../../src/cli/reportCommand';
import { statusCommand } from '../../../src/cli/statusCommand';
import { PanelModel, panelSettings } from '../../../src/core/panel/panelModel';
import { lifecycleDescription, runLifecycleFacts } from '../../../src/core/session/lifecycleText';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { formatTokens, formatUsd } from '../../../src/core/vocabulary/amounts';
import { BATCH_STATE_LABELS, batchStateLabel } from '../../../src/core/vocabulary/batchStates';
import { LIFECYCLE_LABELS, lifecycleOf, TICKET_RUN_STATES } from '../../../src/core/vocabulary/ticketStates';
import { ScriptedBatch, VirtualClock } from '../panel/scriptedBatch';
import { tempStorage, writeFinishedBatch } from '../report/reportFixtures';

function capture(): CliIo & { stdout: string[] } {
  const stdout: string[] = [];
  return { stdout, out: (l) => stdout.push(l), err: () => undefined };
}

describe('one vocabulary: money', () => {
  it('cents from ten cents up, two significant digits below, so nothing cheap shows as $0.00', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.0004), '$0.0004');
    assert.equal(formatUsd(0.001150445), '$0.0012');
    assert.equal(formatUsd(0.0049), '$0.0049');
    assert.equal(formatUsd(0.05), '$0.05');
    assert.equal(formatUsd(0.0342), '$0.034');
    assert.equal(formatUsd(0.0999), '$0.10');
    assert.equal(formatUsd(0.5), '$0.50');
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatUsd(-0.0123), '-$0.012');
    assert.equal(formatUsd(null), 'unknown');
  });

  it('tokens: one decimal below ten of a unit, none above, and never "10.0k"', () => {
    assert.deepEqual([999, 1234, 9_960, 12_345, 999_600, 1_234_567, 12_345_678, 2.5e9].map(formatTokens), ['999', '1.2k', '10k', '12k', '1.0M', '1.2M', '12M', '2.5B']);
  });

  it('the run summary, flotilla status and the report show one amount the same way ($0.0012, not $0.0011)', async () => {
    const storage = tempStorage();
    writeFinishedBatch(storage, 'b-money', '2026-03-01T10:00:00.000Z', [{ id: 'T1', title: 'One', tiers: ['fast'], costUsd: 0.001150445 }]);
    const status = capture();
    assert.equal(await statusCommand(['--storage', storage], status), 0);
    const report = capture();
    assert.equal(await reportCommand(['--storage', storage], report), 0);
    for (const [where, text] of [['status', status.stdout.join('\n')], ['report', report.stdout.join('\n')]] as const) {
      const line = text.split('\n').find((l) => /^\|? ?T1\b/.test(l)) ?? '';
      assert.match(line, /\$0\.0012\b/, `${where}: ${line}`);
      assert.doesNotMatch(text, /\$0\.0011\b/, where);
    }
    const clock = new VirtualClock();
    const batch = new ScriptedBatch({ onBatchEvent: () => undefined, onUsage: () => undefined }, clock, 'b-summary', [{ id: 'T1' }]);
    batch.start();
    batch.record('T1').costUsd = 0.001150445;
    const summary = { ...batch.finish('done') };
    const table = renderSummary({ ...summary, tickets: summary.tickets.map((t) => ({ ...t, costUsd: 0.001150445 })) });
    assert.match(table, /\$0\.0012\b/);
  });
});

describe('one vocabulary: where a ticket stands', () => {
  it('derives every lifecycle from the run state, the decision, an interrupted batch and what it waits on', () => {
    const plain = TICKET_RUN_STATES.map((s) => lifecycleOf(s));
    assert.deepEqual(plain, ['queued', 'running', 'gates', 'awaitingReview', 'failed', 'blocked', 'cancelled']);
    assert.deepEqual(
      TICKET_RUN_STATES.map((s) => lifecycleOf(s, { interrupted: true })),
      ['interrupted', 'interrupted', 'interrupted', 'awaitingReview', 'failed', 'blocked', 'cancelled'],
      'a cut-off batch leaves its unfinished tickets interrupted, its finished ones as they were',
    );
    assert.equal(lifecycleOf('done', { decision: 'accepted' }), 'accepted');
    assert.equal(lifecycleOf('done', { decision: 'rejected' }), 'rejected');
    assert.equal(lifecycleOf('queued', { waitingOn: ['A'] }), 'waiting');
    assert.equal(lifecycleOf('failed', { decision: 'accepted' }), 'failed', 'a decision only applies to a finished run');
  });

  it('mid-run, the tree says what the panel says of a finished ticket: awaiting review, not done', () => {
    const clock = new VirtualClock();
    const model = new PanelModel({ clock: clock.now, settings: () => panelSettings(defaultSettings()) });
    const batch = new ScriptedBatch(model, clock, 'b-mid', [{ id: 'A' }, { id: 'B' }]);
    batch.start();
    batch.runToDone('A', 1000);
    batch.state('B', { state: 'running', detail: 'working' });
    const panel = model.snapshot().current!.rows.find((r) => r.id === 'A')!;
    const tree = lifecycleDescription(runLifecycleFacts({ ...batch.record('A'), batchId: 'b-mid' }));
    assert.equal(panel.lifecycle, 'awaitingReview');
    assert.ok(tree.includes(` · ${LIFECYCLE_LABELS[panel.lifecycle]} · `), tree);
    assert.doesNotMatch(tree, /\bdone\b/);
    assert.equal(model.snapshot().current!.header.state, 'running');
  });

  it("the report's status column and flotilla status use the lifecycle's words", async () => {
    const storage = tempStorage();
    writeFinishedBatch(storage, 'b-words', '2026-03-01T10:00:00.000Z', [
      { id: 'T1', title: 'One', tiers: ['fast'], costUsd: 0.1 },
      { id: 'T2', title: 'Two', tiers: ['fast', 'balanced'], costUsd: 0.2, state: 'failed' },
    ]);
    const report = capture();
    await reportCommand(['--storage', storage], report);
    const md = report.stdout.join('\n');
    assert.match(md, /\| T1 One \|[^\n]*\| awaiting review \|/);
    assert.match(md, /\| T2 Two \|[^\n]*\| failed \|/);
    assert.doesNotMatch(md, /\| T\d [^\n]*\| done \|/);
    const status = capture();
    await statusCommand(['--storage', storage], status);
    assert.match(status.stdout.join('\n'), /T1\s+awaiting review/);
  });

  it('says every batch state in words, never its id', () => {
    assert.equal(batchStateLabel('stopped-by-budget'), 'stopped by the budget');
    for (const label of Object.values(BATCH_STATE_LABELS)) assert.doesNotMatch(label, /-/);
    assert.equal(batchStateLabel('from-a-newer-version'), 'from-a-newer-version');
  });
});
