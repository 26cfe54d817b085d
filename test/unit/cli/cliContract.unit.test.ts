import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { cheapestFirstCall } from '../../../src/core/session/budgetPrecheck';
import { resolveSelection } from '../../../src/cli/selectionOptions';
import { GitClient } from '../../../src/core/git/gitClient';
import { cli, ledgerSpend, makeDemoRepo, readLedger, REPO_ROOT, tempDir } from './cliHarness';

const FINAL = ['done', 'failed', 'blocked', 'cancelled'];
const summaryLine = z.looseObject({
  type: z.literal('summary'),
  batchId: z.string(),
  state: z.string(),
  tickets: z.array(z.looseObject({ id: z.string(), state: z.string() })),
  totals: z.looseObject({ costUsd: z.number() }),
});
const storedReview = z.looseObject({ findings: z.array(z.looseObject({ line: z.number().nullable(), severity: z.string(), inDiff: z.boolean() })) });
const keysOf = (value: unknown) => Object.keys(z.record(z.string(), z.unknown()).parse(value)).sort();

function builtCli(): string {
  const cliJs = join(REPO_ROOT, 'dist/cli.js');
  if (!existsSync(cliJs)) execFileSync('node', ['esbuild.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
  return cliJs;
}

/** The environment of a fresh clone with no key: the demo must pick the simulator by itself. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.ANTHROPIC_API_KEY;
  return env;
}

describe('the CLI contract, as dist/cli.js', function () {
  this.timeout(60_000);

  it('demo --json finishes offline with every ticket accounted for, the execution log written and the ledger matching the total', () => {
    const storage = join(tempDir('cli-demo'), 'storage');
    const result = spawnSync('node', [builtCli(), 'demo', '--json', '--storage', storage], { cwd: REPO_ROOT, env: offlineEnv(), encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const summary = summaryLine.parse(JSON.parse(result.stdout.split('\n').find((l) => l.startsWith('{"type":"summary"')) ?? 'null'));
    assert.deepEqual(summary.tickets.map((t) => t.id).sort(), ['D1', 'D2', 'D3', 'D4', 'D5', 'D6']);
    for (const t of summary.tickets) assert.ok(FINAL.includes(t.state), `${t.id}: ${t.state}`);
    assert.equal(summary.state, 'done');

    const logFile = join(storage, 'batches', summary.batchId, 'execution-log.yaml');
    assert.ok(existsSync(logFile));
    const log = z.looseObject({ batch: z.unknown(), shared_planning: z.unknown(), tickets: z.record(z.string(), z.unknown()), totals: z.unknown(), batching_analysis: z.unknown() }).parse(parse(readFileSync(logFile, 'utf8')));
    // ARCHITECTURE.md "Batch execution log" (fields are only ever added, so check inclusion).
    const includes = (actual: string[], expected: string[], what: string) => expected.forEach((k) => assert.ok(actual.includes(k), `${what}.${k} missing`));
    includes(keysOf(log.batch), ['id', 'startedAt', 'endedAt', 'mode', 'concurrency'], 'batch');
    // Shared planning runs only when the break-even estimate says it pays; a direct batch has none.
    const mode = z.looseObject({ mode: z.enum(['orchestrated', 'direct']) }).parse(log.batch).mode;
    // One source of truth for the mode: the stored state (what reports read) says what the batch ran as.
    const stored = z.looseObject({ mode: z.string() }).parse(JSON.parse(readFileSync(join(storage, 'batches', summary.batchId, 'state.json'), 'utf8')));
    assert.equal(stored.mode, mode, 'state.json and the execution log agree on the mode');
    if (mode === 'orchestrated') includes(keysOf(log.shared_planning), ['model', 'tokens', 'costUsd'], 'shared_planning');
    else assert.equal(log.shared_planning, null);
    includes(keysOf(log.totals), ['tokens', 'costUsd', 'cacheReadShare'], 'totals');
    includes(keysOf(log.batching_analysis), ['orchestrated_usd', 'single_agent_estimate_usd', 'savings_pct', 'routing_savings_vs_strong_pct'], 'batching_analysis');
    assert.deepEqual(Object.keys(log.tickets).sort(), ['D1', 'D2', 'D3', 'D4', 'D5', 'D6']);
    for (const [id, t] of Object.entries(log.tickets)) {
      includes(keysOf(t), ['class', 'score', 'tier', 'model', 'reason', 'stages', 'fix_loops', 'escalations', 'review', 'status', 'costUsd'], `tickets.${id}`);
      const stages = z.array(z.unknown()).parse((t as { stages: unknown }).stages);
      for (const stage of stages) includes(keysOf(stage), ['stage', 'model', 'tokens', 'costUsd', 'result'], `tickets.${id}.stages[]`);
    }

    const ledger = readLedger(storage);
    assert.ok(ledger.length > 0);
    assert.ok(ledger.every((r) => r.batchId === summary.batchId));
    assert.ok(Math.abs(ledgerSpend(storage) - summary.totals.costUsd) < 1e-9, `ledger ${ledgerSpend(storage)} vs summary ${summary.totals.costUsd}`);

    // The simulated reviewer makes real remarks on some demo tickets, so the demo shows findings on
    // their lines: D3's on the line of the new count, D5's one on a changed line and one file-wide.
    const review = (id: string) => storedReview.parse(JSON.parse(readFileSync(join(storage, 'batches', summary.batchId, 'reviews', `${id}.json`), 'utf8')));
    const d3 = review('D3').findings;
    assert.equal(d3.length, 1);
    const wordCount = readFileSync(join(storage, 'worktrees', summary.batchId, 'D3', 'src/wordCount.js'), 'utf8').split('\n');
    assert.match(wordCount[(d3[0]?.line ?? 0) - 1] ?? '', /filter\(\(word\) =>/, 'the finding points at the changed line');
    assert.equal(d3[0]?.inDiff, true);
    const d5 = review('D5').findings;
    assert.deepEqual(d5.map((f) => [f.severity, f.line === null, f.inDiff]).sort(), [['info', true, true], ['warning', false, true]]);
    assert.deepEqual(review('D1').findings, [], 'a README fix gets no remark');
  });

  it('route --input on the calibration file prints one decision per input line', () => {
    let input = join(REPO_ROOT, '../shared/data/swebench-routing/calibration.jsonl');
    if (!existsSync(input)) {
      // A clone without shared/ beside it: a small file in the same shape.
      input = join(tempDir('cli-route'), 'calibration.jsonl');
      const lines = [
        { id: 'x__x-1', repo: 'x/x', title: 'Fix typo in README', body: 'The word "recieve" should be "receive".', labels: ['docs'] },
        { id: 'x__x-2', title: 'Session tokens never expire', body: 'Auth sessions should expire after 30 minutes; security issue.\n```py\nlogin()\n```' },
        { id: 'x__x-3', title: 'Crash', body: 'It crashes.' },
      ];
      writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    }
    const ids = readFileSync(input, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => z.object({ id: z.string() }).loose().parse(JSON.parse(l)).id);
    const result = spawnSync('node', [builtCli(), 'route', '--input', input], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout.split('\n').filter((l) => l !== '');
    assert.equal(out.length, ids.length);
    const line = z.strictObject({ id: z.string(), score: z.number().min(0).max(100), class: z.enum(['mechanical', 'standard', 'complex']), tier: z.string(), reason: z.string().min(1), maxTier: z.enum(['fast', 'balanced', 'strong']) });
    assert.deepEqual(out.map((l) => line.parse(JSON.parse(l)).id), ids);
  });

  it('route --input with a bad line: exit 2, file:line on stderr, nothing on stdout', () => {
    const input = join(tempDir('cli-route-bad'), 'tickets.jsonl');
    writeFileSync(input, '{"id":"a","title":"t","body":"b"}\n{"id":"b"\n');
    const result = spawnSync('node', [builtCli(), 'route', '--input', input], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /tickets\.jsonl:2: not valid JSON/);
  });
});

describe('the CLI contract: --budget-usd on the demo repository (--simulate, concurrency 1)', function () {
  this.timeout(60_000);
  let repo: string;
  const run = (storage: string, ...extra: string[]) => cli('run', '--repo', repo, '--tickets', 'D1,D2,D3', '--concurrency', '1', '--mode', 'direct', '--simulate', '--json', '--storage', storage, ...extra);

  before(() => {
    repo = makeDemoRepo();
  });

  it('with a limit between the cost of ticket 2 and ticket 3: exit 3, a one-line reason, spend never past the limit', async () => {
    const free = join(tempDir('cli-budget'), 'storage');
    const unlimited = await run(free);
    assert.equal(unlimited.code, 0, unlimited.err.join('\n'));
    const perTicket: { id: string | null; usd: number }[] = [];
    for (const r of readLedger(free)) {
      const entry = perTicket.find((e) => e.id === r.ticketId) ?? perTicket[perTicket.push({ id: r.ticketId, usd: 0 }) - 1];
      if (entry) entry.usd += r.costUsd ?? 0;
    }
    assert.equal(perTicket.length, 3, JSON.stringify(perTicket));
    const [c1, c2, c3] = perTicket.map((e) => e.usd) as [number, number, number];
    const limit = c1 + c2 + c3 / 2;

    const storage = join(tempDir('cli-budget'), 'storage');
    const limited = await run(storage, '--budget-usd', String(limit));
    assert.equal(limited.code, 3, limited.err.join('\n'));
    assert.ok(ledgerSpend(storage) <= limit, `spent ${ledgerSpend(storage)} > ${limit}`);
    // Calls are sized to the budget left, so the batch runs until a call's worst case no longer fits
    // (worst cases are above real costs, so the second ticket may stop too).
    const summary = z
      .looseObject({ state: z.string(), stopReason: z.string(), tickets: z.array(z.looseObject({ id: z.string(), state: z.string() })) })
      .parse(JSON.parse(limited.out.find((l) => l.startsWith('{"type":"summary"')) ?? 'null'));
    assert.equal(summary.state, 'stopped-by-budget');
    assert.match(summary.stopReason, /budget/);
    assert.ok(!summary.stopReason.includes('\n'));
    const stateOf = (id: string | null) => summary.tickets.find((t) => t.id === id)?.state;
    assert.equal(stateOf(perTicket[0]?.id ?? null), 'done');
    assert.notEqual(stateOf(perTicket[2]?.id ?? null), 'done');
    assert.ok(ledgerSpend(storage) > c1, 'the second ticket spent part of what was left');
  });

  it('with room for some calls but not all: the batch starts, stops by budget (exit 3), spend never past the limit', async () => {
    // Just above the cheapest first call sized down to its minimum: the batch starts and stops later.
    const { selection } = await resolveSelection({ repo, tickets: 'D1,D2,D3', mode: 'direct', concurrency: '1' }, () => undefined);
    const cheapest = await cheapestFirstCall(selection, new GitClient());
    assert.ok(cheapest);
    const limit = cheapest.usd * 1.3;
    const storage = join(tempDir('cli-budget'), 'storage');
    const limited = await run(storage, '--budget-usd', String(limit));
    assert.equal(limited.code, 3, limited.err.join('\n'));
    const spent = ledgerSpend(storage);
    assert.ok(spent > 0, 'some calls ran');
    assert.ok(spent <= limit, `spent ${spent} > ${limit}`);
    const summary = summaryLine.parse(JSON.parse(limited.out.find((l) => l.startsWith('{"type":"summary"')) ?? 'null'));
    assert.equal(summary.state, 'stopped-by-budget');
    assert.ok(summary.tickets.every((t) => FINAL.includes(t.state)));
    assert.ok(summary.tickets.some((t) => t.state !== 'done'));
  });
});
