import assert from 'node:assert/strict';
import { PanelModel, panelSettings } from '../../../src/core/panel/panelModel';
import { parseHostMessage } from '../../../src/core/panel/panelProtocol';
import type { TicketRunState } from '../../../src/core/vocabulary/ticketStates';
import type { TicketRow } from '../../../src/core/panel/panelSnapshot';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { runScriptedBatch, scriptedReviewer, ticket } from '../batch/batchHarness';

describe('panel model over a real batch (simulator, git worktrees, scripted reviewer)', function () {
  this.timeout(120_000);

  it('follows every ticket to its final state; totals, costs and tier paths agree with the summary', async () => {
    const settings = { ...defaultSettings(), 'batch.maxFixLoops': 1, 'batch.maxEscalations': 1 };
    const model = new PanelModel({ clock: Date.now, settings: () => panelSettings(settings) });
    model.setDependencies(new Map([['DEP', ['BASE']]]));
    const seen = new Map<string, TicketRunState[]>();
    let messages = 0;
    const take = () => {
      const message = model.takeMessage();
      if (!message) return;
      messages++;
      const parsed = parseHostMessage(JSON.parse(JSON.stringify(message)));
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      const rows = message.type === 'snapshot' ? (message.snapshot.current?.rows ?? []) : message.rows;
      for (const row of rows) {
        const states = seen.get(row.id) ?? [];
        if (states.at(-1) !== row.state) states.push(row.state);
        seen.set(row.id, states);
      }
    };
    const run = await runScriptedBatch({
      tickets: [ticket('BASE'), ticket('DEP', { dependsOn: ['BASE'] }), ticket('FAILS')],
      // FAILS never passes review on fast: one fix loop, then it moves up to balanced and passes.
      reviewer: scriptedReviewer((id, attempt) => id !== 'FAILS' || attempt >= 3),
      settings,
      onEvent: (event) => {
        model.onBatchEvent(event);
        take();
      },
      onRecord: (record) => {
        model.onUsage(record);
        take();
      },
    });
    const current = model.snapshot().current;
    assert.ok(current);
    assert.equal(current.header.state, run.summary.state);
    assert.equal(current.header.spentUsd, run.summary.totals.costUsd);
    for (const record of run.summary.tickets) {
      const row: TicketRow | undefined = current.rows.find((r) => r.id === record.id);
      assert.ok(row);
      assert.equal(row.state, record.state, record.detail);
      assert.equal(row.costUsd, record.costUsd);
      assert.equal(seen.get(record.id)?.[0], 'queued');
      assert.ok(seen.get(record.id)?.includes('running'), `${record.id}: ${seen.get(record.id)?.join(' → ')}`);
      assert.equal(seen.get(record.id)?.at(-1), record.state);
    }
    const fails = current.rows.find((r) => r.id === 'FAILS');
    assert.equal(fails?.tierPath.length, 2, 'escalated once');
    const lane = current.lanes.find((l) => l.ticketId === 'FAILS');
    assert.deepEqual(
      lane?.segments.filter((s) => s.kind === 'working').map((s) => s.tier),
      [fails?.tierPath[0], fails?.tierPath[0], fails?.tierPath[1]],
      'two attempts on the first tier (the fix loop), one on the next',
    );
    const dep = current.lanes.find((l) => l.ticketId === 'DEP');
    assert.equal(dep?.segments[0]?.kind, 'waiting', 'DEP waited for BASE');
    assert.ok(messages > 5);
  });
});
