import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDag } from '../../../src/core/batch/dag';
import { Scheduler } from '../../../src/core/batch/scheduler';
import { VirtualClock } from '../../../src/core/batch/schedulerVirtualClock';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { silentLogger } from '../../../src/core/logger';
import type { TicketWorkerResult } from '../../../src/core/worker/runTicketWorker';
import { textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { gitIn, makeClient, makeRepo, workerRequest } from '../worker/workerHarness';
import { claudeProcessesIn, engineFor, environOf, filesContaining, isolateClaudeConfig, processesWith, REAL_KEY, scripted, waitFor } from './claudeCodeHarness';

/**
 * How soon everything must be gone after a cancel or timeout. The kill itself is immediate (SIGKILL
 * to the tree and group); a fixed 2 s failed under a load average of 30 with and without the sandbox
 * (0.9–2.8 s), because each check scans /proc of a busy machine. The sleeper would live 300 s.
 */
const PROMPTLY_MS = 15_000;

function transcriptOf(result: TicketWorkerResult): { kind: string; name?: string; reason?: string; content?: string; isError?: boolean }[] {
  return readFileSync(result.transcriptFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
}

function billedEqualsLedger(sim: Simulator, records: readonly UsageRecord[]): void {
  const billed = sim.billed();
  const sum = (key: 'inputTokens' | 'outputTokens' | 'cacheWrite5mTokens' | 'cacheWrite1hTokens' | 'cacheReadTokens') => records.reduce((n, r) => n + r[key], 0);
  assert.deepEqual(
    [sum('inputTokens'), sum('outputTokens'), sum('cacheWrite5mTokens'), sum('cacheWrite1hTokens'), sum('cacheReadTokens')],
    [billed.inputTokens, billed.outputTokens, billed.cacheWrite5mTokens, billed.cacheWrite1hTokens, billed.cacheReadTokens],
  );
}

describe('Claude Code worker engine (the real claude executable against the simulator)', function () {
  this.timeout(120_000);
  isolateClaudeConfig();
  let sim: Simulator | undefined;
  afterEach(async () => sim?.close());

  it('confines every tool call to the worktree: 0 escapes, each denial in the transcript; only the batch token in its environment', async () => {
    const env = makeRepo();
    const outside = mkdtempSync(join(tmpdir(), 'flotilla-outside-'));
    const secret = `top-secret-${Date.now()}`;
    writeFileSync(join(outside, 'secret.txt'), `${secret}\n`);
    // A committed symbolic link to a folder outside the repository.
    symlinkSync(outside, join(env.repo, 'link'));
    gitIn(env.repo, 'add', 'link');
    gitIn(env.repo, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-qm', 'a link');
    const base = gitIn(env.repo, 'rev-parse', 'HEAD');
    const planted = join(outside, 'planted.txt');
    sim = await startSimulator({
      responder: scripted((cwd) => [
        toolUseTurn('Read', { file_path: '../../etc/passwd' }),
        toolUseTurn('Read', { file_path: join(cwd, 'link/secret.txt') }),
        toolUseTurn('Write', { file_path: planted, content: 'planted' }),
        toolUseTurn('Edit', { file_path: join(cwd, 'link/secret.txt'), old_string: 'top', new_string: 'owned' }),
        toolUseTurn('Bash', { command: 'cat /etc/passwd', description: 'read' }),
        toolUseTurn('Bash', { command: 'env; cat link/secret.txt', description: 'chain' }),
        toolUseTurn('Grep', { pattern: 'secret', path: outside }),
        toolUseTurn('Bash', { command: 'env', description: 'show the environment' }),
        toolUseTurn('Write', { file_path: join(cwd, 'src/ok.ts'), content: 'export const ok = true;\n' }),
        textTurn('Added src/ok.ts; the other calls were refused.'),
      ]),
    });
    const records: UsageRecord[] = [];
    const engine = await engineFor(sim, records);
    try {
      const request = workerRequest({ ...env, base }, makeClient(sim, []), { tools: { allowCommands: ['env'], commandTimeoutMs: 10_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 } });
      const result = await engine.run(request);
      assert.equal(result.status, 'done', result.reason);
      assert.equal(result.engine, 'claude-code');
      assert.deepEqual(result.diffStats.map((s) => s.path), ['src/ok.ts'], 'only the file inside the worktree changed');
      assert.equal(existsSync(planted), false, 'nothing was written outside');
      assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), `${secret}\n`);

      const transcript = transcriptOf(result);
      const denied = transcript.filter((e) => e.kind === 'denied');
      // The Edit of a file never read is refused by Claude Code's own check before ours; the rest by ours.
      assert.deepEqual(denied.map((e) => e.name), ['Read', 'Read', 'Write', 'Bash', 'Bash', 'Grep']);
      assert.ok(denied.every((e) => (e.reason ?? '').length > 10), 'each denial says why');
      const results = transcript.filter((e) => e.kind === 'tool_result');
      assert.equal(results.filter((e) => e.isError).length, 7, 'the model got each refusal (the Edit included) as a tool error');
      const seen = JSON.stringify(results);
      assert.ok(!seen.includes(secret) && !seen.includes('root:x:0:0'), 'no content from outside reached the model');
      // The allowed `env` shows Claude Code's environment as its commands see it.
      const envOutput = results.map((e) => e.content ?? '').find((c) => c.includes('ANTHROPIC_BASE_URL=')) ?? '';
      assert.match(envOutput, /ANTHROPIC_API_KEY=flotilla-proxy-[0-9a-f]{48}/);
      assert.match(envOutput, /ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\d+\/run\//);
      assert.ok(!envOutput.includes(REAL_KEY));

      assert.ok(records.length >= 10 && records.every((r) => r.engine === 'claude-code' && r.ticketId === 'T1' && r.stage === 'work'));
      billedEqualsLedger(sim, records);
      assert.deepEqual(filesContaining(env.storage, REAL_KEY), [], 'the real key is nowhere under storage');
    } finally {
      await engine.close();
    }
  });

  it('cancel and the ticket timeout end Claude Code and everything it started (a sleeper of 300 s), promptly', async () => {
    const env = makeRepo();
    const marker = `flotilla-sleeper-${Date.now()}`;
    sim = await startSimulator({ responder: scripted(() => [toolUseTurn('Bash', { command: `node -e "setTimeout(() => {}, 300000)" ${marker}`, description: 'wait' }), textTurn('done')]) });
    const records: UsageRecord[] = [];
    const engine = await engineFor(sim, records);
    const tools = { allowCommands: ['node -e'], commandTimeoutMs: 600_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 };
    try {
      // Cancel: the user's Cancel aborts the ticket's signal.
      const controller = new AbortController();
      const request = workerRequest(env, makeClient(sim, []), { tools, signal: controller.signal });
      const running = engine.run(request);
      assert.ok(await waitFor(() => processesWith(marker).length > 0, 60_000), 'the command started');
      const worktree = join(env.storage, 'worktrees', 'B1', 'T1');
      const [claude] = claudeProcessesIn(worktree);
      assert.ok(claude, 'Claude Code runs in the worktree');
      const childEnv = environOf(claude);
      assert.match(childEnv.ANTHROPIC_API_KEY ?? '', /^flotilla-proxy-/);
      assert.ok(!readFileSync(`/proc/${claude}/environ`).includes(REAL_KEY), "the real key is not in Claude Code's environment");
      const started = Date.now();
      controller.abort();
      const gone = await waitFor(() => processesWith(marker).length === 0 && claudeProcessesIn(worktree).length === 0, PROMPTLY_MS);
      assert.ok(gone, `still running ${Date.now() - started} ms after the cancel`);
      assert.equal((await running).status, 'cancelled');

      // Timeout: the scheduler's per-ticket timeout (the default 30 minutes, on a virtual clock) aborts the run.
      const clock = new VirtualClock();
      const scheduler = new Scheduler({
        dag: buildDag([{ id: 'T1', dependsOn: [], predictedFiles: [], priority: 3 }]),
        concurrency: 1,
        maxRetries: 0,
        timeoutMs: 30 * 60_000,
        clock,
        logger: silentLogger,
        run: async (_id, signal) => {
          const result = await engine.run({ ...workerRequest(env, makeClient(sim as Simulator, []), { tools }), attempt: 2, signal });
          return result.status === 'done' ? { kind: 'done' } : { kind: 'failed', reason: result.reason };
        },
      });
      const finished = scheduler.start();
      assert.ok(await waitFor(() => processesWith(marker).length > 0, 60_000), 'the command started again');
      const timedOut = Date.now();
      await clock.advanceBy(30 * 60_000);
      const goneAfterTimeout = await waitFor(() => processesWith(marker).length === 0 && claudeProcessesIn(worktree).length === 0, PROMPTLY_MS);
      assert.ok(goneAfterTimeout, `still running ${Date.now() - timedOut} ms after the timeout`);
      await finished;
    } finally {
      await engine.close();
    }
  });
});
