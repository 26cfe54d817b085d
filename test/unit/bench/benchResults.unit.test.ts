import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBenchResults, writeBenchResult } from '../../../bench/benchResults';
import { mergeResults } from '../../../bench/mergeResults';
import { resultsTable } from '../../../bench/resultsTable';

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

  it("prints one table with each target's verdict, an engine that could not run with its reason, and each bench's seconds in meta", () => {
    writeBenchResult('budget', { spent_over_limit: 0.81, exceeded: false, spent_over_limit_claude_code: 0.64, exceeded_claude_code: false }, 'budget');
    writeBenchResult('engines', { builtin: { first_ticket_tokens: 10, later_ticket_tokens: 7, cache_read_share: 0.1, usd_per_ticket: 0.001 }, 'claude-code': null }, 'engines', { 'claude-code': 'no claude executable here' });
    const results = mergeResults({ ...readBenchResults(dir), runStartedAt: new Date(0), runSeconds: 12, benchSeconds: { budget: 5, engines: 7 } });
    assert.deepEqual(results.meta.bench_seconds, { budget: 5, engines: 7 });
    const lines = resultsTable(results).split('\n');
    const row = (figure: string) => lines.find((l) => l.includes(figure)) ?? '';
    assert.match(row('spent_over_limit '), /0\.810\s+≥ 0\.80\s+met$/);
    assert.match(row('spent_over_limit_claude_code'), /0\.640\s+≥ 0\.80\s+MISSED$/);
    assert.match(row('exceeded_claude_code'), /false\s+false\s+met$/);
    assert.match(row('claude-code'), /no claude executable here/);
    assert.match(row('builtin'), /first 10 tok, later 7 tok/);
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
