import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { BatchSummary } from '../../src/core/batch/batchTypes';
import { PANEL_PROTOCOL_VERSION } from '../../src/core/panel/panelProtocol';
import type { TicketRow } from '../../src/core/panel/panelSnapshot';
import type { TicketRunState } from '../../src/core/vocabulary/ticketStates';
import type { FlotillaApi } from '../../src/vscode/api';
import type { PanelTestApi } from '../../src/vscode/panel/batchPanelHost';
import { git, tick, useDemoWorkspace } from './demoWorkspace';
import { activateFlotilla, EXTENSION_ID, eventually, screenshot, workspaceRoot } from './flotillaApi';

const reportJson = z.object({
  batch: z.object({
    id: z.string(),
    status: z.string(),
    totals: z.object({ costUsd: z.number().nullable(), tokens: z.number() }),
    tickets: z.array(z.object({ id: z.string(), status: z.string(), costUsd: z.number().nullable() })),
  }),
});

const cents = (usd: number | null | undefined) => (usd === null || usd === undefined ? null : Math.round(usd * 100));
const FINAL: readonly TicketRunState[] = ['done', 'failed', 'blocked', 'cancelled'];

/** `flotilla report --format json` for a batch, run with the CLI shipped in the extension. */
function report(storage: string, batchId: string): z.infer<typeof reportJson> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  // In desktop VS Code the extension host is Electron; ELECTRON_RUN_AS_NODE makes it plain Node (ignored by Node).
  const out = execFileSync(process.execPath, [join(extension.extensionPath, 'dist/cli.js'), 'report', '--storage', storage, '--batch', batchId, '--format', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  return reportJson.parse(JSON.parse(out));
}

/** The states each ticket's row went through, in the messages the host posted from message `from` on. */
function statesPosted(panel: PanelTestApi, from: number): Map<string, TicketRunState[]> {
  const seen = new Map<string, TicketRunState[]>();
  for (const message of panel.posted.slice(from)) {
    for (const row of message.rows) {
      const states = seen.get(row.id) ?? [];
      if (states.at(-1) !== row.state) states.push(row.state);
      seen.set(row.id, states);
    }
  }
  return seen;
}

async function inSync(panel: PanelTestApi, what: string): Promise<void> {
  await eventually(() => panel.lastPostedRev !== undefined && panel.lastAppliedRev === panel.lastPostedRev, `the view to apply every message (${what})`, 20_000);
}

describe('batch panel (a webview in the real workbench)', () => {
  let api: FlotillaApi;
  let panel: PanelTestApi;
  let undoDemo: () => Promise<void> = async () => undefined;

  before(async function () {
    this.timeout(60_000);
    api = await activateFlotilla();
    assert.ok(api.panel, 'the panel\'s test hooks exist in test mode');
    panel = api.panel;
    undoDemo = await useDemoWorkspace(api);
  });

  after(async () => {
    panel?.close();
    await undoDemo();
  });

  it('opens, completes the handshake, follows a simulated batch to its final states, and its totals equal flotilla report --format json', async function () {
    this.timeout(240_000);
    await vscode.commands.executeCommand('flotilla.showPanel');
    assert.equal(panel.open, true);
    await eventually(() => panel.handshake === PANEL_PROTOCOL_VERSION, 'the view to say ready with the protocol version', 30_000);
    await inSync(panel, 'the first snapshot');
    assert.equal(panel.posted[0]?.type, 'snapshot', 'a snapshot first');

    await tick(api, 'D1', 'D3', 'R01');
    // The window may have run batches before (other suites): only this batch's messages count.
    const from = panel.posted.length;
    const summary = await vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.runBatch', { confirm: false });
    assert.ok(summary);
    await eventually(() => panel.snapshot().current?.header.state === summary.state && panel.snapshot().current?.header.batchId === summary.batchId, 'the panel to show the finished batch');
    // Updates are coalesced (10 a second): the host's state can be ahead of what was posted for a moment.
    await eventually(() => summary.tickets.every((t) => statesPosted(panel, from).get(t.id)?.at(-1) === t.state), 'every ticket\'s final state to be posted to the view');
    await inSync(panel, 'the finished batch');

    const snapshot = panel.snapshot().current;
    assert.ok(snapshot);
    const states = statesPosted(panel, from);
    for (const record of summary.tickets) {
      const row: TicketRow | undefined = snapshot.rows.find((r) => r.id === record.id);
      assert.equal(row?.state, record.state, `${record.id}: ${record.detail}`);
      const seen = states.get(record.id) ?? [];
      assert.equal(seen.at(-1), record.state, `${record.id} ends ${record.state} in the view (${seen.join(' → ')})`);
      assert.ok(seen.length >= 2 && !FINAL.includes(seen[0] as TicketRunState), `${record.id} was shown progressing: ${seen.join(' → ')}`);
    }
    assert.ok(panel.posted.length - from >= 3, 'updates followed the new batch\'s snapshot');
    assert.equal(snapshot.header.simulated, true);
    assert.ok(snapshot.lanes.every((l) => l.end !== null && l.segments.some((s) => s.kind === 'working')), 'every lane worked and ended');

    const storage = api.review.storageDir;
    assert.ok(storage);
    const printed = report(storage, summary.batchId);
    assert.equal(printed.batch.id, summary.batchId);
    assert.equal(cents(snapshot.header.spentUsd), cents(printed.batch.totals.costUsd), 'the panel\'s total is the report\'s, to the cent');
    assert.equal(snapshot.header.tokens, printed.batch.totals.tokens);
    for (const t of printed.batch.tickets) {
      assert.equal(cents(snapshot.rows.find((r) => r.id === t.id)?.costUsd), cents(t.costUsd), `${t.id}'s cost is the report's`);
    }
    await screenshot('panel-finished');
  });

  it('runs a row\'s Accept, Review and Cancel through the same commands as the rest of the UI; rows show decisions taken anywhere', async function () {
    this.timeout(240_000);
    const finished = panel.snapshot().current;
    assert.ok(finished && !finished.header.live, 'the finished batch of the first test is shown');
    const batchId = finished.header.batchId;
    const d1 = finished.rows.find((r) => r.id === 'D1');
    assert.equal(d1?.lifecycle, 'awaitingReview');
    assert.ok(d1?.actions.includes('accept'), `D1 offers Accept (${d1?.actions.join(', ')})`);

    // What a click on Accept posts: the host runs flotilla.acceptTicket, which merges D1 into the workspace's branch.
    const root = workspaceRoot().fsPath;
    const head = git(root, 'rev-parse', 'HEAD');
    panel.receive({ type: 'ticketAction', action: 'accept', batchId, ticketId: 'D1' });
    await eventually(() => panel.snapshot().current?.rows.find((r) => r.id === 'D1')?.lifecycle === 'accepted', 'D1\'s row to say accepted', 60_000);
    assert.notEqual(git(root, 'rev-parse', 'HEAD'), head, 'the merge happened in the repository');
    assert.match(git(root, 'log', '-1', '--format=%s'), /D1/);
    await inSync(panel, 'the accepted row');
    // The run state under the decision stays done (the host's state; the last message posted may be an update of other rows).
    assert.equal(panel.snapshot().current?.rows.find((r) => r.id === 'D1')?.state, 'done');
    assert.deepEqual(panel.snapshot().current?.rows.find((r) => r.id === 'D1')?.actions, ['review'], 'an accepted ticket offers only Review');

    // Review opens the ticket's changes editor, as Review Ticket does from the tree.
    panel.receive({ type: 'ticketAction', action: 'review', batchId, ticketId: 'D3' });
    const reviewTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Review D3'));
    await eventually(() => reviewTab() !== undefined, 'the review of D3 to open', 60_000);
    await vscode.window.tabGroups.close(reviewTab() as vscode.Tab);

    // A decision taken elsewhere (Reject, as the review editor and the Tickets view run it) reaches the row too.
    await vscode.commands.executeCommand('flotilla.rejectTicket', { batchId, ticketId: 'D3', confirmed: true });
    await eventually(() => panel.snapshot().current?.rows.find((r) => r.id === 'D3')?.lifecycle === 'rejected', 'D3\'s row to say rejected', 30_000);
    await inSync(panel, 'the rejected row');

    // Cancel on a running row: flotilla.cancelTicket stops that ticket; the batch goes on to its end.
    await api.batches.setSimulatedLatency(1500);
    try {
      const running = vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.retryTicket', 'R01', { confirm: false });
      await eventually(() => api.batches.runOf('R01')?.state === 'running', 'R01 to be running', 60_000);
      const live = panel.snapshot().current;
      assert.ok(live?.header.live && live.header.batchId !== batchId, 'the panel follows the new batch');
      assert.ok(live.rows.find((r) => r.id === 'R01')?.actions.includes('cancel'), 'a running row offers Cancel');
      panel.receive({ type: 'ticketAction', action: 'cancel', batchId: live.header.batchId, ticketId: 'R01' });
      const summary = await running;
      assert.equal(summary?.tickets.find((t) => t.id === 'R01')?.state, 'cancelled');
      await eventually(() => panel.snapshot().current?.rows.find((r) => r.id === 'R01')?.lifecycle === 'cancelled', 'R01\'s row to say cancelled');
    } finally {
      await api.batches.setSimulatedLatency(0);
    }
  });

  it('ignores (and counts) a message from the view that does not parse', () => {
    const before = { rejected: panel.rejected, received: panel.received.length };
    panel.receive({ type: 'ticketAction', action: 'deleteEverything', batchId: 'x', ticketId: 'y' });
    panel.receive('<script>alert(1)</script>');
    assert.equal(panel.rejected, before.rejected + 2);
    assert.equal(panel.received.length, before.received, 'nothing was acted on');
  });

  it('closing the panel ends its subscriptions, not the batch; reopened, it shows the batch from the host', async function () {
    this.timeout(240_000);
    await api.batches.setSimulatedLatency(1500);
    await tick(api, 'D3');
    const running = vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.retryTicket', 'D3', { confirm: false });
    await eventually(() => api.batches.runOf('D3')?.state === 'running', 'D3 to be running', 60_000);
    panel.close();
    assert.equal(panel.open, false);
    const summary = await running;
    assert.equal(summary?.tickets.find((t) => t.id === 'D3')?.state, 'done', 'the batch ran on with the panel closed');
    await api.batches.setSimulatedLatency(0);

    await vscode.commands.executeCommand('flotilla.showPanel');
    await eventually(() => panel.handshake === PANEL_PROTOCOL_VERSION, 'the reopened view to say ready', 30_000);
    await inSync(panel, 'the reopened panel');
    assert.equal(panel.posted[0]?.type, 'snapshot', 'the host sends everything again on open');
    const row = panel.posted[0]?.rows.find((r) => r.id === 'D3');
    assert.equal(row?.state, 'done', 'the reopened view shows the state the host kept while it was closed');
    assert.equal(panel.snapshot().current?.header.batchId, summary?.batchId);
  });
});
