import assert from 'node:assert/strict';
import { LlmClient } from '../../src/core/llm/llmClient';
import { startSimulator } from '../../src/simulator/simulator';
import type { Simulator } from '../../src/simulator/simulatorTypes';
import { activateFlotilla, eventually } from './flotillaApi';

/** Enough prompt (120k chars ≈ 30k tokens at $4/M on the simulated opus) to move even a two-decimal total. */
const PROMPT = `Summarise this. ${'lorem ipsum '.repeat(10_000)}`;

describe('budget status bar', () => {
  let simulator: Simulator | undefined;
  after(async () => simulator?.close());

  it('exists, changes after a simulated call, and its tooltip lists the model and workspace', async function () {
    this.timeout(60_000);
    const api = await activateFlotilla();
    const before = await eventually(() => {
      const shown = api.budget.statusBar;
      return /^\$\((pulse|sync~spin)\) /.test(shown.text) && !shown.text.endsWith(' Flotilla') ? shown : undefined;
    }, 'the status bar item shows the month read from the ledger');

    simulator = await startSimulator({});
    const client = new LlmClient({ apiKey: 'sk-ant-test', baseURL: simulator.url, recordUsage: (record) => api.budget.recordUsage(record), retry: { maxAttempts: 1 } });
    const result = await client.call(
      { model: 'claude-opus-5-5', max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] },
      { workspace: '/it/flotilla-status-bar-ws', batchId: 'it-status-bar', ticketId: null, stage: 'classify', tier: 'strong' },
    );
    assert.ok(result.costUsd !== null && result.costUsd > 0.05, `the call cost enough to show (${String(result.costUsd)})`);

    const after = await eventually(() => (api.budget.statusBar.text !== before.text ? api.budget.statusBar : undefined), `the text changes from "${before.text}"`);
    assert.match(after.text, /^\$\((pulse|sync~spin)\) \$\d/);
    assert.match(after.tooltip, /\| claude-opus-5-5 \| \$\d+\.\d+ \| \d+ \|/, 'the tooltip lists the model with its spend');
    assert.match(after.tooltip, /\| flotilla-status-bar-ws \|/, 'and the workspace');
    assert.match(after.tooltip, /Month-end forecast at this pace: \$\d/);
    // One sentence says what a click does, and it is what the click runs; the report is a link of its own.
    assert.deepEqual(after.tooltip.match(/Click[^.]*\./g), ['Click to open the batch panel.']);
    assert.equal(after.command, 'flotilla.showPanel');
    assert.match(after.tooltip, /\[Show Batch Report\]\(command:flotilla\.showBatchReport\)/);
  });
});
