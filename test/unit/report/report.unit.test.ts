import assert from 'node:assert/strict';
import { localTime, renderMarkdown } from '../../../src/core/report/renderMarkdown';
import { compareTiers } from '../../../src/core/routing/tierComparison';
import { parse } from 'yaml';
import { loadReport } from '../../../src/core/report/loadReport';
import { NoBatchesError, UnknownBatchError, UnknownReportFormatError } from '../../../src/core/report/reportErrors';
import { csvField, parseReportFormat, renderReport } from '../../../src/core/report/renderReport';
import { tempStorage, usage, writeFinishedBatch, writeInterruptedBatch, writeLedger } from './reportFixtures';

function storageWithBatches(): string {
  const storage = tempStorage();
  writeFinishedBatch(storage, 'b-old', '2026-03-01T10:00:00.000Z', [{ id: 'A1', title: 'Old work', tiers: ['strong'], costUsd: 2 }]);
  writeFinishedBatch(storage, 'b-new', '2026-03-05T10:00:00.000Z', [
    { id: 'N1', title: 'Rename, "quoted", thing', tiers: ['fast'], costUsd: 0.1 },
    { id: 'N2', title: '=cmd|evil', tiers: ['fast', 'balanced'], costUsd: 0.4, state: 'failed' },
  ]);
  writeInterruptedBatch(storage, 'b-cut', '2026-03-03T10:00:00.000Z');
  writeLedger(storage, '2026-03', [usage({ batchId: 'b-new', costUsd: 0.1, model: 'model-fast' }), usage({ batchId: 'b-new', costUsd: 0.4, model: 'model-balanced' })]);
  return storage;
}

const clock = () => Date.parse('2026-03-06T00:00:00.000Z');

describe('batch reports', () => {
  it('reports the newest batch by default: tier path, tokens, cost, gates, fix loops per ticket', async () => {
    const storage = storageWithBatches();
    const report = await loadReport({ storage, globalStorage: storage, clock });
    assert.equal(report.batch.id, 'b-new');
    const [n1, n2] = report.batch.tickets;
    assert.deepEqual(n2?.tierPath, ['fast', 'balanced']);
    assert.equal(n2?.fixLoops, 1);
    assert.equal(n2?.status, 'failed');
    assert.equal(n1?.costUsd, 0.1);
    assert.deepEqual(n1?.gates, ['build: skipped', 'test: pass']);
    assert.ok(Math.abs((report.batch.analysis.singleAgentEstimateUsd ?? 0) - 1) < 1e-9);
  });

  it('shows the routing A/B comparison where a class has outcomes on two neighbouring tiers', async () => {
    const storage = storageWithBatches();
    const report = await loadReport({ storage, globalStorage: storage, clock });
    const ab = report.metrics.routingAb.find((c) => c.cheaper.tier === 'fast' && c.incumbent.tier === 'balanced');
    assert.ok(ab, JSON.stringify(report.metrics.routingAb));
    assert.ok(ab.cheaper.attempts > 0 && ab.incumbent.attempts > 0);
    const md = renderReport(report, 'md');
    assert.match(md, /## Routing A\/B \(cheaper tier vs\. the next one up\)/);
    // A handful of tickets: no p-value, but how many are needed.
    assert.equal(ab.enoughSamples, false);
    assert.doesNotMatch(md, /p-value/);
    assert.match(md, new RegExp(`- ${ab.complexityClass}, fast vs\\. balanced: not enough samples yet \\(fast n=${ab.cheaper.attempts}, balanced n=${ab.incumbent.attempts}\\); the comparison is shown from 10 finished tickets on each tier\\.`));
    // With enough on both tiers, the statistics are shown.
    const outcomes = [
      { class: 'standard' as const, tier: 'fast' as const, attempts: 12, successes: 9, fixLoops: 3, costUsd: 1.2 },
      { class: 'standard' as const, tier: 'balanced' as const, attempts: 10, successes: 9, fixLoops: 1, costUsd: 3 },
    ];
    const enough = compareTiers(outcomes, 'standard', 'fast', 'balanced');
    assert.equal(enough.enoughSamples, true);
    const full = renderReport({ ...report, metrics: { ...report.metrics, routingAb: [enough] } }, 'md');
    assert.match(full, /\| standard \| fast \(n=12\) \| 75% \| balanced \(n=10\) \| 90% \| \d\.\d{3} \| 0\.33 \| no \|/);
  });

  it('shows times in the reader\'s zone and labels a simulated batch and simulated spend', async () => {
    const storage = storageWithBatches();
    const report = await loadReport({ storage, globalStorage: storage, clock });
    const simulated = { ...report, batch: { ...report.batch, simulated: true }, metrics: { ...report.metrics, simulatedCalls: 2, simulatedCostUsd: 0.01 } };
    const md = renderMarkdown(simulated, { timeZone: 'Asia/Tokyo' });
    assert.match(md, /^# Flotilla batch b-new \(simulated\)$/m);
    assert.match(md, /^- Cost: \$[\d.]+ \(simulated, not billed\)$/m);
    assert.match(md, /\(2 of them simulated, \$0\.01 not billed\)/);
    assert.equal(localTime('2026-03-10T12:00:00.000Z', 'Asia/Tokyo'), '10 Mar 2026, 21:00');
    assert.match(md, new RegExp(`started ${localTime(report.batch.createdAt, 'Asia/Tokyo')}`));
    assert.doesNotMatch(md, /\d{4}-\d\d-\d\dT\d\d:/, 'no raw ISO times');
  });

  it('compares every batch, newest first, and folds metrics from the ledger', async () => {
    const storage = storageWithBatches();
    const report = await loadReport({ storage, globalStorage: storage, clock });
    assert.deepEqual(report.comparison.map((c) => c.id), ['b-new', 'b-cut', 'b-old']);
    const cut = report.comparison[1]!;
    assert.equal(cut.status, 'interrupted');
    assert.equal(cut.done, 1);
    assert.equal(cut.singleAgentEstimateUsd, null);
    assert.equal(report.metrics.calls, 2);
    assert.deepEqual(report.metrics.modelMix.map((m) => m.model).sort(), ['model-balanced', 'model-fast']);
  });

  it('reports an interrupted batch from its ticket states, and names the unreadable record', async () => {
    const storage = storageWithBatches();
    const report = await loadReport({ storage, globalStorage: storage, batchId: 'b-cut', clock });
    assert.deepEqual(report.batch.tickets.map((t) => [t.id, t.status, t.tierPath.join('>'), t.fixLoops]), [['X1', 'done', 'fast', 1], ['X2', 'queued', '', 0]]);
    assert.equal(report.batch.totals.costUsd, 0.2);
    assert.ok(report.problems.some((p) => p.includes('X1')));
    assert.match(renderReport(report, 'md'), /not available \(the batch did not finish\)/);
  });

  it('fails with typed errors for an unknown batch, empty storage and an unknown format', async () => {
    const storage = storageWithBatches();
    await assert.rejects(loadReport({ storage, globalStorage: storage, batchId: 'nope' }), (e: unknown) => e instanceof UnknownBatchError && e.known.includes('b-old'));
    await assert.rejects(loadReport({ storage, globalStorage: storage, batchId: '../b-old' }), UnknownBatchError);
    const empty = tempStorage();
    await assert.rejects(loadReport({ storage: empty, globalStorage: empty }), NoBatchesError);
    assert.throws(() => parseReportFormat('pdf'), UnknownReportFormatError);
    assert.equal(parseReportFormat('YAML'), 'yaml');
  });

  it('renders Markdown, CSV, JSON and YAML that read back', async () => {
    const storage = storageWithBatches();
    const report = await loadReport({ storage, globalStorage: storage, clock });
    const md = renderReport(report, 'md');
    assert.match(md, /^# Flotilla batch b-new/);
    assert.match(md, /\| N2 =cmd\\\|evil \| mechanical \(20\) \| fast → balanced \| failed \|/);
    assert.match(md, /## All batches/);
    assert.match(md, /\| \*\*b-new\*\* \|/);
    assert.match(md, /Single-agent estimate \(one run per ticket\): \$1\.00; this batch \$0\.50, 50\.0% saved/);
    assert.deepEqual(JSON.parse(renderReport(report, 'json')), JSON.parse(JSON.stringify(report)));
    assert.deepEqual(parse(renderReport(report, 'yaml')), JSON.parse(JSON.stringify(report)));
    const csv = renderReport(report, 'csv').split('\r\n');
    assert.equal(csv[0], 'batch,ticket,title,class,score,tier_path,model,status,tokens,cost_usd,fix_loops,escalations,review_level,review_result,findings,gates,branch,lifecycle', 'the lifecycle is a column added at the end');
    assert.equal(csv[1], 'b-new,N1,"Rename, ""quoted"", thing",mechanical,20,fast,model-fast,done,1000,0.1,0,0,standard,PASS,2,build: skipped; test: pass,flotilla/b/N1,awaitingReview');
    assert.ok(csv[2]?.startsWith("b-new,N2,'=cmd|evil,"), 'a formula-like title is defused');
    assert.equal(csv.length, 4, 'header, two tickets, final empty line');
  });

  it('quotes CSV fields only when needed', () => {
    assert.equal(csvField(null), '');
    assert.equal(csvField(-1), '-1');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField('plain'), 'plain');
  });
});
