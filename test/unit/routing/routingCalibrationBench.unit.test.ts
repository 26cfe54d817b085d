import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { routableFromInputLine, routeInputLineSchema } from '../../../src/core/routing/routableTicket';
import { routeTicket } from '../../../src/core/routing/routeTicket';

const outcome = (resolved: boolean, cost: number) => ({ resolved, cost_usd: cost });
const ROWS = [
  { id: 'a', title: 'Fix typo in error message', body: 'Expected `foo`, got `fo`.', difficulty: '<15 min fix',
    outcomes: { 'gpt-5-mini': outcome(true, 0.01), 'gpt-5': outcome(true, 0.1), 'sonnet-4-5': outcome(true, 1) } },
  { id: 'b', title: 'Refactor the query compiler across backends', body: `Several backends disagree. ${'text '.repeat(400)}`, difficulty: '1-4 hours',
    outcomes: { 'gpt-5-mini': outcome(false, 0.02), 'gpt-5': outcome(false, 0.2), 'sonnet-4-5': outcome(true, 2) } },
];

describe('routing calibration bench', () => {
  it('never lets labels reach the router', () => {
    for (const row of ROWS) {
      const withLabels = routeTicket(routableFromInputLine(routeInputLineSchema.parse(row)));
      const withoutLabels = routeTicket(routableFromInputLine(routeInputLineSchema.parse({ id: row.id, title: row.title, body: row.body })));
      assert.deepEqual(withLabels, withoutLabels);
    }
  });

  it('prints the AUC and the policy table for a calibration file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-routing-'));
    try {
      const file = join(dir, 'calibration.jsonl');
      writeFileSync(file, ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const script = resolve(__dirname, '../../../bench/routingCalibration.ts');
      const run = spawnSync(process.execPath, ['--import', 'tsx', script, file], { encoding: 'utf8', timeout: 20_000 });
      assert.equal(run.status, 0, run.stderr);
      // The refactor ticket scores higher than the typo, so the ranking is perfect on these two rows.
      assert.match(run.stdout, /AUC of score vs\. "not a <15 min fix" .*: 1\.000/);
      assert.match(run.stdout, /\| always strong \| 100\.0% \| \$3\.00 \| 1\.000 \|/);
      assert.match(run.stdout, /\| always fast \| 50\.0% \| \$0\.03 \| 0\.010 \|/);
      assert.match(run.stdout, /router tier, escalate one tier, stop at maxTier/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
