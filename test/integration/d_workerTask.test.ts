import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { GitClient } from '../../src/core/git/gitClient';
import { LlmClient } from '../../src/core/llm/llmClient';
import { DEFAULT_WORKER_LIMITS } from '../../src/core/worker/agentLoop';
import { runTicketWorker, type TicketWorkerRequest } from '../../src/core/worker/runTicketWorker';
import type { WorkerEventListener } from '../../src/core/worker/workerEvents';
import { scriptedResponder, toolUseTurn } from '../../src/simulator/responders';
import { startSimulator } from '../../src/simulator/simulator';
import type { Simulator, SimulatorOptions } from '../../src/simulator/simulatorTypes';
import { activateFlotilla, eventually } from './flotillaApi';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/** A one-commit repository outside the workspace, as a user's project would be. */
function makeRepo(root: string): { repo: string; storage: string; base: string } {
  const repo = join(root, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  writeFileSync(join(repo, 'src/greet.ts'), "export function greet(name: string): string {\n  return 'Hello ' + name;\n}\n");
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '.');
  git(repo, '-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-qm', 'initial');
  return { repo, storage: join(root, 'storage'), base: git(repo, 'rev-parse', 'HEAD') };
}

/** Command lines of every process on this machine, to prove a child is gone (Linux /proc: the test hosts are Linux). */
function processCommandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // the process ended while we looked
    }
  }
  return lines;
}

const taskNamed = (name: string) => vscode.tasks.taskExecutions.find((e) => e.task.name === name);

describe('workers as VS Code tasks', () => {
  let root: string;
  const simulators: Simulator[] = [];

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'flotilla-it-worker-'));
  });
  after(async () => {
    await Promise.all(simulators.map((s) => s.close()));
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });

  async function workerRun(env: ReturnType<typeof makeRepo>, batchId: string, sim: SimulatorOptions, allowCommands: string[] = []) {
    const simulator = await startSimulator(sim);
    simulators.push(simulator);
    const client = new LlmClient({ apiKey: 'sk-ant-test', baseURL: simulator.url, recordUsage: () => undefined, retry: { maxAttempts: 1 } });
    const request: TicketWorkerRequest = {
      git: new GitClient(),
      client,
      repoRoot: env.repo,
      storageDir: env.storage,
      workspace: 'it-ws',
      batchId,
      baseCommit: env.base,
      ticket: { id: 'T1', title: 'Greet with a comma', description: "greet() should return 'Hello, <name>'.", acceptance: [], files: ['src/greet.ts'] },
      model: 'claude-sonnet-5-5',
      tier: 'balanced',
      stage: 'work',
      attempt: 1,
      shared: { repoMap: 'src/: greet.ts', batchPlan: 'One ticket.' },
      limits: DEFAULT_WORKER_LIMITS,
      tools: { allowCommands, commandTimeoutMs: 60_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 },
    };
    return (signal: AbortSignal, onEvent: WorkerEventListener) => runTicketWorker({ ...request, signal, onEvent });
  }

  it('runs a worker as the task "T1", streams its log and commits on the ticket branch', async () => {
    const api = await activateFlotilla();
    const env = makeRepo(join(root, 'done'));
    const work = await workerRun(env, 'B1', {
      responder: scriptedResponder([
        toolUseTurn('read_file', { path: 'src/greet.ts' }),
        toolUseTurn('edit_file', { path: 'src/greet.ts', oldText: "'Hello ' + name", newText: "'Hello, ' + name" }),
        toolUseTurn('finish', { summary: 'Added the comma in greet().' }),
      ]),
    });
    let seenWhileRunning: vscode.TaskExecution | undefined;
    const exitCode = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name === 'T1') {
          listener.dispose();
          resolve(e.exitCode);
        }
      });
    });
    const result = await api.workerTasks.run({
      ticketId: 'T1',
      batchId: 'B1',
      run: async (signal, onEvent) => {
        // The worker only starts once VS Code lists its task, so "visible while it runs" is certain.
        seenWhileRunning = await eventually(() => taskNamed('T1'), 'the task in vscode.tasks.taskExecutions');
        return work(signal, onEvent);
      },
    });

    assert.equal(result.status, 'done', result.reason);
    assert.ok(seenWhileRunning);
    assert.equal(seenWhileRunning.task.source, 'Flotilla');
    assert.equal(seenWhileRunning.task.definition.type, 'flotilla');
    assert.equal(seenWhileRunning.task.definition.ticketId, 'T1');
    assert.equal(seenWhileRunning.task.isBackground, true);
    assert.equal(seenWhileRunning.task.presentationOptions.reveal, vscode.TaskRevealKind.Never);

    const output = api.workerTasks.output('T1');
    assert.match(output, /^▸ Flotilla worker for T1 \(batch B1\)$/m);
    assert.match(output, /^turn 1 · claude-sonnet-5-5$/m);
    assert.match(output, /^→ read_file src\/greet\.ts$/m);
    assert.match(output, /^→ edit_file src\/greet\.ts$/m);
    assert.match(output, /^→ finish Added the comma in greet\(\)\.$/m);
    assert.match(output, /^tokens in [\d,]+ · out [\d,]+ · cache read [\d,]+ · cache write [\d,]+ · \$\d+\.\d{4} \(total \$\d+\.\d{4}\)$/m);
    assert.match(output, /^✓ done in 3 turns · commit [0-9a-f]{10} on flotilla\/B1\/T1 · 1 file changed$/m);
    assert.doesNotMatch(output, /\u001b/, 'the kept copy is plain text');

    assert.ok(result.commit);
    assert.equal(git(env.repo, 'rev-parse', 'flotilla/B1/T1'), result.commit);
    assert.match(git(env.repo, 'diff', `${env.base}..flotilla/B1/T1`), /\+ {2}return 'Hello, ' \+ name;/);
    assert.equal(await exitCode, 0, 'the task process ended with exit code 0');
    await eventually(() => !taskNamed('T1'), 'the finished task to leave vscode.tasks.taskExecutions');
  });

  it('terminating the task cancels a worker waiting on a slow model, promptly', async () => {
    const api = await activateFlotilla();
    const env = makeRepo(join(root, 'slow'));
    const work = await workerRun(env, 'B2', { responder: () => toolUseTurn('list_dir', { path: '.' }), latencyMs: 30_000 });
    const running = api.workerTasks.run({ ticketId: 'T1', batchId: 'B2', run: work });
    const execution = await eventually(() => taskNamed('T1'), 'the task to run');
    await eventually(() => /^turn 1 · /m.test(api.workerTasks.output('T1')), 'the first model call to be under way');

    const stoppedAt = Date.now();
    execution.terminate();
    const result = await running;
    const tookMs = Date.now() - stoppedAt;
    assert.equal(result.status, 'cancelled');
    assert.ok(tookMs < 10_000, `cancelled in ${tookMs} ms, not after the 30 s response`);
    assert.match(api.workerTasks.output('T1'), /^■ cancelled after 1 turn: /m);
    assert.equal(result.commit, null);
    assert.equal(git(env.repo, 'rev-parse', 'flotilla/B2/T1'), env.base, 'the branch holds no half-done work');
    await eventually(() => !taskNamed('T1'), 'the terminated task to leave vscode.tasks.taskExecutions');
  });

  it('terminating the task kills the command the worker is running: no child process outlives it', async () => {
    const api = await activateFlotilla();
    const env = makeRepo(join(root, 'child'));
    // An odd duration makes the command line unique on this machine.
    const command = 'sleep 41.37';
    const work = await workerRun(env, 'B3', { responder: () => toolUseTurn('run_command', { command }) }, ['sleep']);
    const running = api.workerTasks.run({ ticketId: 'T1', batchId: 'B3', run: work });
    const execution = await eventually(() => taskNamed('T1'), 'the task to run');
    await eventually(() => processCommandLines().includes(command), `"${command}" to be running`);

    execution.terminate();
    const result = await running;
    assert.equal(result.status, 'cancelled');
    await eventually(() => !processCommandLines().includes(command), `"${command}" to be gone`, 5_000);
    assert.match(api.workerTasks.output('T1'), /^→ run_command sleep 41\.37$/m);
  });
});
