import assert from 'node:assert/strict';
import { z } from 'zod';
import { loadPanelStorage } from '../../../src/core/panel/loadPanelStorage';
import { PanelModel, panelSettings } from '../../../src/core/panel/panelModel';
import { STORED_TIMELINE_NOTE } from '../../../src/core/panel/storedBatchFold';
import type { TicketRow } from '../../../src/core/panel/panelSnapshot';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { recordDecision } from '../../../src/core/session/reviewDecisions';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { tempStorage, writeInterruptedBatch } from '../report/reportFixtures';

const reportJson = z.object({
  batch: z.object({ id: z.string(), totals: z.object({ costUsd: z.number().nullable(), tokens: z.number() }), tickets: z.array(z.object({ id: z.string(), status: z.string(), costUsd: z.number().nullable() })) }),
  comparison: z.array(z.object({ id: z.string(), costUsd: z.number().nullable() })),
});
const cents = (usd: number | null | undefined) => (usd === null || usd === undefined ? null : Math.round(usd * 100));
const settings = defaultSettings();

describe('panel: batches read back from storage', function () {
  this.timeout(120_000);
  let storage: string;
  let report: z.infer<typeof reportJson>;

  before(async () => {
    storage = tempDir('panel');
    const run = await cli('run', '--repo', makeDemoRepo(), '--all', '--simulate', '--storage', storage, '--json');
    assert.ok(run.code === 0 || run.code === 1, run.err.join('\n'));
    const printed = await cli('report', '--storage', storage, '--format', 'json');
    assert.equal(printed.code, 0, printed.err.join('\n'));
    report = reportJson.parse(JSON.parse(printed.out.join('\n')));
  });

  it('shows the newest batch with the totals of `flotilla report --format json`, to the cent', async () => {
    const loaded = await loadPanelStorage({ storage, globalStorage: storage, threshold: 0.7, minSamples: 5 });
    assert.ok(loaded.latest);
    const model = new PanelModel({ clock: Date.now, settings: () => panelSettings(settings) });
    model.showStored(loaded.latest);
    const current = model.snapshot().current;
    assert.ok(current);
    assert.equal(current.header.batchId, report.batch.id);
    assert.equal(current.header.live, false);
    assert.equal(cents(current.header.spentUsd), cents(report.batch.totals.costUsd));
    assert.equal(current.header.tokens, report.batch.totals.tokens);
    for (const t of report.batch.tickets) {
      const row: TicketRow | undefined = current.rows.find((r) => r.id === t.id);
      assert.ok(row, t.id);
      assert.equal(row.state, t.status);
      assert.equal(cents(row.costUsd), cents(t.costUsd), `${t.id} cost`);
      assert.ok(row.tokens.input + row.tokens.output > 0, `${t.id}: token classes come from the ledger`);
      assert.ok(row.title.length > 0);
    }
    assert.equal(current.timeline.note, STORED_TIMELINE_NOTE);
    for (const lane of current.lanes) {
      assert.ok(lane.segments.some((s) => s.kind === 'working'), `${lane.ticketId} worked`);
      assert.ok(lane.segments.every((s) => s.toMs !== null && s.toMs >= s.fromMs));
    }
    assert.equal(loaded.history.batches[0]?.costUsd, report.comparison[0]?.costUsd, 'history rows use the report\'s totals');
    assert.equal(loaded.history.outcomes.length, 9, 'every (class, tier) cell, measured or not');
    const mix = loaded.history.batches[0]?.modelMix ?? [];
    assert.ok(mix.length > 0);
    assert.equal(Math.round(mix.reduce((s, m) => s + m.share, 0) * 1000), 1000);
  });

  it('counts tickets accepted in review, and cost per accepted ticket', async () => {
    const store = new BatchStateStore({ storage });
    const done = report.batch.tickets.filter((t) => t.status === 'done').map((t) => t.id);
    assert.ok(done.length >= 2);
    for (const id of done.slice(0, 2)) await recordDecision(store, report.batch.id, id, { ticket: 'accepted' });
    const loaded = await loadPanelStorage({ storage, globalStorage: storage, threshold: 0.7, minSamples: 5 });
    const row = loaded.history.batches[0];
    assert.equal(row?.accepted, 2);
    assert.equal(row?.costPerAcceptedUsd, (row?.costUsd ?? 0) / 2);
    assert.equal(loaded.latest?.decisions[done[0] as string], 'accepted');
    const model = new PanelModel({ clock: Date.now, settings: () => panelSettings(settings) });
    model.showStored(loaded.latest!);
    assert.deepEqual(model.snapshot().current?.rows.find((r) => r.id === done[0])?.actions, ['review']);
  });

  it('shows an interrupted batch as interrupted, its unfinished tickets too', async () => {
    const cut = tempStorage();
    writeInterruptedBatch(cut, 'b-cut', '2026-03-03T10:00:00.000Z');
    const loaded = await loadPanelStorage({ storage: cut, globalStorage: cut, threshold: 0.7, minSamples: 5, clock: () => Date.parse('2026-03-06T00:00:00.000Z') });
    const model = new PanelModel({ clock: Date.now, settings: () => panelSettings(settings) });
    model.showStored(loaded.latest!);
    const current = model.snapshot().current!;
    assert.equal(current.header.state, 'interrupted');
    assert.ok(current.rows.some((r) => r.lifecycle === 'interrupted'), JSON.stringify(current.rows.map((r) => r.lifecycle)));
    assert.ok(current.rows.every((r) => !r.actions.includes('cancel')));
    assert.equal(loaded.history.batches[0]?.status, 'interrupted');
  });

  it('reads an empty storage as no batch and an empty history', async () => {
    const loaded = await loadPanelStorage({ storage: tempStorage(), globalStorage: tempStorage(), threshold: 0.7, minSamples: 5 });
    assert.equal(loaded.latest, null);
    assert.deepEqual(loaded.history.batches, []);
    assert.ok(loaded.history.outcomes.every((o) => o.attempts === 0 && o.lowerBound === null && !o.trusted));
  });
});
