import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBenchResults, writeBenchResult } from '../../../bench/benchResults';
import { mergeResults } from '../../../bench/mergeResults';

describe('bench results (bench/out → results.json)', () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-out-'));
    saved = process.env.FLOTILLA_BENCH_OUT;
    process.env.FLOTILLA_BENCH_OUT = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.FLOTILLA_BENCH_OUT;
    else process.env.FLOTILLA_BENCH_OUT = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes <section>.<source>.json and merges the sources of one section key by key', () => {
    const file = writeBenchResult('editor', { bundle_kb: 900, activation_ms: null }, 'bundle', { activation_ms: 'no extension host' });
    assert.equal(file, join(dir, 'editor.bundle.json'));
    writeBenchResult('editor', { panel_update_200_ms: 3.5 }, 'panel');
    const { records, problems } = readBenchResults(dir);
    assert.deepEqual(problems, []);
    const results = mergeResults({ records, runStartedAt: new Date(0), runSeconds: 1 });
    assert.deepEqual(results.editor, { bundle_kb: 900, activation_ms: null, panel_update_200_ms: 3.5, tickets_5000_ms: null });
    assert.equal(results.reasons['editor.activation_ms'], 'no extension host');
    assert.equal(results.reasons['editor.tickets_5000_ms'], 'not measured in this run');
  });

  it('gives every section the issue names a key: null with a reason when nobody measured it', () => {
    writeBenchResult('scheduling', { ready_over_bound: 1.02, waves_over_bound: 1.2 }, 'scheduler');
    // A run that started after the file was written lists it as recorded earlier.
    const results = mergeResults({ ...readBenchResults(dir), runStartedAt: new Date(Date.now() + 1000), runSeconds: 1 });
    for (const section of ['batching', 'routing', 'rate_limit', 'overhead', 'budget', 'editor', 'engines']) {
      assert.equal(results[section], null, section);
      assert.match(results.reasons[section] ?? '', /not measured yet/);
    }
    assert.deepEqual(results.scheduling, { ready_over_bound: 1.02, waves_over_bound: 1.2 });
    assert.deepEqual(results.meta.recorded_before_this_run, ['scheduling.scheduler (' + JSON.parse(readFileSync(join(dir, 'scheduling.scheduler.json'), 'utf8')).recordedAt + ')']);
  });

  it('a list section takes its entries; the rest of the record is its summary', () => {
    writeBenchResult('batching', { entries: [{ n: 1 }, { n: 2 }], break_even_n: 2 }, 'batching');
    const results = mergeResults({ ...readBenchResults(dir), runStartedAt: new Date(0), runSeconds: 1 });
    assert.deepEqual(results.batching, [{ n: 1 }, { n: 2 }]);
    assert.deepEqual(results.batching_summary, { break_even_n: 2 });
  });

  it('refuses an unknown section and reports a damaged file instead of merging it', () => {
    assert.throws(() => writeBenchResult('speed', {}, 'x'));
    assert.throws(() => writeBenchResult('budget', {}, 'Bad Name'));
    writeFileSync(join(dir, 'budget.x.json'), '{"section":"budget"');
    writeFileSync(join(dir, 'budget.y.json'), JSON.stringify({ section: 'budget', source: 'z', recordedAt: 'now', values: {} }));
    const { records, problems } = readBenchResults(dir);
    assert.equal(records.length, 0);
    assert.equal(problems.length, 2);
  });
});
