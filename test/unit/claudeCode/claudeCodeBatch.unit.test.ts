import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { filesContaining, git, isolateClaudeConfig, REAL_KEY } from './claudeCodeHarness';

/** The usage records of the ledger, read as a script outside Flotilla would: lines without `kind` (reservations have one). */
function ledger(storage: string): UsageRecord[] {
  const folder = join(storage, 'ledger');
  return readdirSync(folder).flatMap((name) =>
    readFileSync(join(folder, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as UsageRecord & { kind?: string })
      .filter((entry) => entry.kind === undefined),
  );
}

interface Summary {
  batchId: string;
  state: string;
  engine?: { name: string };
  tickets: { id: string; state: string; branch: string | null; commit: string | null; review: { result: string } | null; detail: string; stages: { engine?: string }[] }[];
}

function summaryOf(out: readonly string[]): Summary {
  const line = out.map((l) => JSON.parse(l) as { type: string }).find((e) => e.type === 'summary');
  assert.ok(line, 'the run printed its summary');
  return line as unknown as Summary;
}

/** `flotilla run` against our own simulator, the way a user runs it against the API: ANTHROPIC_API_KEY and --api-base. */
async function runWithKey(...args: string[]) {
  const before = process.env.ANTHROPIC_API_KEY;
  process.env.ANTHROPIC_API_KEY = REAL_KEY;
  try {
    return await cli('run', ...args);
  } finally {
    if (before === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = before;
  }
}

describe('a batch with --engine claude-code (the real claude executable against the simulator)', function () {
  this.timeout(300_000);
  isolateClaudeConfig();
  let sim: Simulator | undefined;
  afterEach(async () => sim?.close());

  it('runs the demo tickets to commits and reviews, with the ledger equal to what was billed under 429, 529, 500 and a cut stream', async () => {
    sim = await startSimulator({ responder: demoResponder() });
    sim.injectFaults({ kind: 'rate_limit', retryAfterSeconds: 1 }, { kind: 'overloaded' }, { kind: 'server_error' }, { kind: 'cut_mid_stream', afterEvents: 4 });
    const repo = makeDemoRepo();
    const storage = tempDir('cc-batch');
    const r = await runWithKey('--repo', repo, '--all', '--api-base', sim.url, '--engine', 'claude-code', '--mode', 'direct', '--storage', storage, '--json');
    assert.equal(r.code, 0, r.err.join('\n'));
    const summary = summaryOf(r.out);
    assert.equal(summary.engine?.name, 'claude-code');
    for (const ticket of summary.tickets) {
      assert.equal(ticket.state, 'done', `${ticket.id}: ${ticket.detail}`);
      assert.ok(ticket.commit && ticket.branch);
      assert.equal(git(repo, 'rev-parse', ticket.branch), ticket.commit, `${ticket.id} is committed on its branch`);
      assert.equal(ticket.review?.result, 'PASS');
      assert.ok(ticket.stages.some((s) => s.engine === 'claude-code'));
    }

    const records = ledger(storage);
    const billed = sim.billed();
    const sum = (key: 'inputTokens' | 'outputTokens' | 'cacheWrite5mTokens' | 'cacheWrite1hTokens' | 'cacheReadTokens') => records.reduce((n, x) => n + x[key], 0);
    assert.deepEqual(
      { input: sum('inputTokens'), output: sum('outputTokens'), write5m: sum('cacheWrite5mTokens'), write1h: sum('cacheWrite1hTokens'), read: sum('cacheReadTokens') },
      { input: billed.inputTokens, output: billed.outputTokens, write5m: billed.cacheWrite5mTokens, write1h: billed.cacheWrite1hTokens, read: billed.cacheReadTokens },
      'token for token',
    );
    const messageCalls = sim.requests.filter((q) => q.path === '/v1/messages').length;
    assert.equal(records.length, messageCalls, 'call for call: one record per request, side calls and failed attempts included');
    const failed = records.filter((x) => x.error);
    assert.ok(failed.length >= 4, 'the faults were recorded as failed attempts');
    assert.ok(failed.some((x) => x.partial), 'the cut stream was recorded with what the server reported before the cut');
    assert.ok(records.filter((x) => x.engine === 'claude-code').length > 10);
    assert.deepEqual(filesContaining(storage, REAL_KEY), [], 'the API key is nowhere under storage: ledger, state, transcripts, worktrees');

    const log = readFileSync(join(storage, 'batches', summary.batchId, 'execution-log.yaml'), 'utf8');
    assert.match(log, /^  engine: claude-code$/m, 'the execution log names the engine of the batch');
    assert.match(log, /^        engine: claude-code$/m, 'and of each work stage');
    const report = await cli('report', '--storage', storage, '--batch', summary.batchId);
    assert.match(report.out.join('\n'), /Worker engine: claude-code/);
  });

  it('a hard batch budget stops a Claude Code run mid-way, and the spend stays under the limit', async () => {
    sim = await startSimulator({ responder: demoResponder() });
    const repo = makeDemoRepo();
    const storage = tempDir('cc-budget');
    // One haiku call of Claude Code may cost up to ~$0.006 (its ~50 KB prompt at the cache-write rate plus 8,192 output tokens),
    // at least ~$0.0026 when the proxy sizes it down to 1,024 output tokens, and costs ~$0.0002: this limit admits a few calls,
    // sized down, and then refuses one in the middle of the first run.
    const limit = 0.003;
    const r = await runWithKey('--repo', repo, '--tickets', 'D1,D2,D3', '--concurrency', '1', '--api-base', sim.url, '--engine', 'claude-code', '--mode', 'direct', '--budget-usd', String(limit), '--storage', storage, '--json');
    assert.equal(r.code, 3, `${r.err.join('\n')} spent ${ledger(storage).reduce((n, x) => n + (x.costUsd ?? 0), 0)} ${r.out.slice(-1)[0]?.slice(0, 1500)}`);
    const summary = summaryOf(r.out);
    assert.equal(summary.state, 'stopped-by-budget');
    const stopped = summary.tickets.find((t) => /stopped by budget/.test(t.detail));
    assert.ok(stopped, 'a ticket says it was stopped by the budget');
    const records = ledger(storage);
    const spent = records.reduce((n, x) => n + (x.costUsd ?? 0), 0);
    assert.ok(spent > 0 && spent <= limit, `spent ${spent} of ${limit}`);
    assert.ok(records.some((x) => x.ticketId === stopped.id && x.engine === 'claude-code'), 'the stopped run had made calls before the refusal (stopped mid-way)');
  });
});
