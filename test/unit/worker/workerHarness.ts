import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitClient } from '../../../src/core/git/gitClient';
import { LlmClient } from '../../../src/core/llm/llmClient';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { DEFAULT_WORKER_LIMITS, type WorkerLimits } from '../../../src/core/worker/agentLoop';
import type { WorkerTicket } from '../../../src/core/worker/promptLayout';
import { runTicketWorker, type TicketWorkerRequest } from '../../../src/core/worker/runTicketWorker';
import type { Simulator } from '../../../src/simulator/simulatorTypes';

export const MODEL = 'claude-sonnet-5-5';

/** A small repository with one commit, as a user's project would be. */
export function makeRepo(): { repo: string; storage: string; base: string } {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-worker-'));
  const repo = join(root, 'repo');
  mkdirSync(join(repo, 'src'), { recursive: true });
  writeFileSync(join(repo, 'src/greet.ts'), "export function greet(name: string): string {\n  return 'Hello ' + name;\n}\n");
  writeFileSync(join(repo, 'README.md'), '# Demo\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=T', '-c', 'user.email=t@t', 'add', '.');
  git('-c', 'user.name=T', '-c', 'user.email=t@t', 'commit', '-qm', 'initial');
  return { repo, storage: join(root, 'storage'), base: git('rev-parse', 'HEAD') };
}

export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

export function makeClient(sim: Simulator, records: UsageRecord[]): LlmClient {
  return new LlmClient({ apiKey: 'sk-ant-test', baseURL: sim.url, recordUsage: (r) => void records.push(r), retry: { maxAttempts: 1 } });
}

export const TICKET: WorkerTicket = {
  id: 'T1',
  title: 'Greet with a comma',
  description: "greet() should return 'Hello, <name>'.",
  acceptance: ['greet("Ada") returns "Hello, Ada"'],
  files: ['src/greet.ts'],
};

/** A shared context long enough to be cached on every model the tests use. */
export const SHARED = { repoMap: `2 tracked files\n./: README.md\nsrc/: greet.ts\n${'src/module/file.ts '.repeat(400)}`, batchPlan: 'One ticket; no shared steps.' };

export function workerRequest(
  env: { repo: string; storage: string; base: string },
  client: LlmClient,
  overrides: Omit<Partial<TicketWorkerRequest>, 'limits'> & { limits?: Partial<WorkerLimits> } = {},
): TicketWorkerRequest {
  const { limits, ...rest } = overrides;
  return {
    git: new GitClient(),
    client,
    repoRoot: env.repo,
    storageDir: env.storage,
    workspace: 'test-ws',
    batchId: 'B1',
    baseCommit: env.base,
    ticket: TICKET,
    model: MODEL,
    tier: 'balanced',
    stage: 'work',
    attempt: 1,
    shared: SHARED,
    limits: { ...DEFAULT_WORKER_LIMITS, ...limits },
    tools: { allowCommands: ['git status'], commandTimeoutMs: 10_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 },
    ...rest,
  };
}

export { runTicketWorker };
