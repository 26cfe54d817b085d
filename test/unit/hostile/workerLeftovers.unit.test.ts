import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBwrapPath, sandboxAvailability } from '../../../src/core/process/sandboxProbe';
import { batchLockFile } from '../../../src/core/store/batchLock';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { makeDemoRepo, tempDir } from '../cli/cliHarness';
import { isolateClaudeConfig, waitFor } from '../claudeCode/claudeCodeHarness';
import { ensureCliBuilt, processesUnder, startCliProcess, type LiveCli } from './cliProcess';

interface LockedWorker {
  readonly kind: string;
  readonly pid: number;
}

/** The worker processes the batch's lock file lists right now (empty when there is no lock). */
function lockedWorkers(storage: string): LockedWorker[] {
  const batches = existsSync(join(storage, 'batches')) ? readdirSync(join(storage, 'batches')) : [];
  return batches.flatMap((id) => {
    try {
      return (JSON.parse(readFileSync(batchLockFile(storage, id), 'utf8')) as { workers?: LockedWorker[] }).workers ?? [];
    } catch {
      return [];
    }
  });
}

const alive = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

/** `flotilla run --engine claude-code` on two demo tickets, once Claude Code is running and has asked the API. */
async function withClaudeRunning(sim: Simulator): Promise<{ live: LiveCli; storage: string; claude: LockedWorker }> {
  const repo = makeDemoRepo();
  const storage = join(tempDir('leftovers'), 'storage');
  const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-leftovers' };
  const live = startCliProcess(['run', '--repo', repo, '--tickets', 'D2,D3', '--storage', storage, '--api-base', sim.url, '--engine', 'claude-code', '--mode', 'direct', '--json'], env);
  const running = await waitFor(() => lockedWorkers(storage).some((w) => w.kind === 'claude') && sim.requests.some((r) => r.path === '/v1/messages'), 60_000);
  assert.ok(running, 'Claude Code started and asked the API');
  const claude = lockedWorkers(storage).find((w) => w.kind === 'claude');
  assert.ok(claude && alive(claude.pid));
  return { live, storage, claude };
}

/** Issue 20 item 4: SIGTERM takes the Ctrl-C path; what a killed Flotilla left running is ended by the next holder of its batch. */
describe('hostile: worker processes after SIGTERM and SIGKILL (issue 20)', function () {
  this.timeout(240_000);
  isolateClaudeConfig();
  let sim: Simulator;
  before(ensureCliBuilt);
  afterEach(async () => sim?.close());

  it('SIGTERM with Claude Code running: cancels like Ctrl-C (exit 1, final states, lock removed), and no worker process is left', async () => {
    // Slow answers: the signal arrives while Claude Code waits for one.
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 400 });
    const { live, storage } = await withClaudeRunning(sim);
    live.child.kill('SIGTERM');
    const ended = await live.ended;
    assert.equal(ended.signal, null, `ended by the signal itself instead of cancelling: ${ended.stderr}`);
    assert.equal(ended.code, 1, ended.stderr);
    assert.match(ended.stderr, /^cancelling: .*\(SIGTERM again to quit at once\)$/m);
    assert.doesNotMatch(ended.stderr, /internal error|^\s+at /m);
    const [batch] = (await new BatchStateStore({ storage }).list()).batches;
    assert.ok(batch);
    assert.equal(batch.state.status, 'cancelled');
    for (const id of batch.state.ticketIds) assert.notEqual(batch.state.tickets[id]?.status, 'running', `${id} is final`);
    assert.equal(existsSync(batchLockFile(storage, batch.state.id)), false, 'the lock is removed');
    assert.ok(await waitFor(() => processesUnder(join(storage, 'worktrees')).length === 0, 5_000), `processes left in the worktrees: ${processesUnder(join(storage, 'worktrees')).join(' ')}`);
  });

  it('SIGKILL with Claude Code running: no claude is left behind — sandboxed it ends with the CLI, unsandboxed the resume ends it before it reuses the worktree', async () => {
    sim = await startSimulator({ responder: demoResponder(), latencyMs: 400 });
    const { live, storage, claude } = await withClaudeRunning(sim);
    live.child.kill('SIGKILL');
    await live.ended;
    if ((await sandboxAvailability(defaultBwrapPath())).available) {
      // Sandboxed (bubblewrap's --die-with-parent), Claude Code ends with the CLI that started it: no
      // leftover to wait for a resume. Where no sandbox can be built, the resume below must end it.
      assert.ok(await waitFor(() => !alive(claude.pid), 10_000), 'the sandboxed Claude Code ends with the killed CLI');
      return;
    }
    assert.ok(alive(claude.pid), 'Claude Code outlives the killed CLI');

    const env = { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-leftovers' };
    const resume = startCliProcess(['resume', '--storage', storage, '--api-base', sim.url, '--engine', 'claude-code', '--json'], env);
    try {
      await resume.untilTicket((t) => t.state === 'running');
      assert.equal(alive(claude.pid), false, 'the leftover claude is gone before a ticket runs again');
    } finally {
      resume.child.kill('SIGTERM');
      await resume.ended;
    }
    const stderr = (await resume.ended).stderr;
    assert.match(stderr, new RegExp(`ended what it left running: claude \\(pid ${claude.pid}\\b`));
  });
});
