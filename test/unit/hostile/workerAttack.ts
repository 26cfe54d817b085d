import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import type { TicketWorkerRequest, TicketWorkerResult } from '../../../src/core/worker/runTicketWorker';
import { textTurn, toolUseTurn } from '../../../src/simulator/responders';
import type { RecordedRequest, SimulatedTurn, Simulator } from '../../../src/simulator/simulatorTypes';
import { assistantTurns, engineFor, workingDirectory } from '../claudeCode/claudeCodeHarness';
import { makeClient, runTicketWorker, workerRequest } from '../worker/workerHarness';

/** The two engines that run a worker on this machine; each attack is played through both. */
export const ENGINES = ['builtin', 'claude-code'] as const;
export type EngineName = (typeof ENGINES)[number];

/** One thing the model does, in words both engines' tools can say. */
export type Move = { write: string; content: string } | { command: string } | { finish: string };

/** The tool call that makes `move` in `engine`'s words (Claude Code's tools take absolute paths). */
export function turnFor(engine: EngineName, move: Move, cwd: string): SimulatedTurn {
  if ('write' in move) {
    return engine === 'builtin' ? toolUseTurn('write_file', { path: move.write, content: move.content }) : toolUseTurn('Write', { file_path: join(cwd, move.write), content: move.content });
  }
  if ('command' in move) return engine === 'builtin' ? toolUseTurn('run_command', { command: move.command }) : toolUseTurn('Bash', { command: move.command, description: 'run' });
  return engine === 'builtin' ? toolUseTurn('finish', { summary: move.finish }) : textTurn(move.finish);
}

/** A responder playing `moves` turn by turn for the worker's requests; Claude Code's side calls get a short answer. */
export function playMoves(engine: EngineName, moves: readonly Move[]) {
  return (request: RecordedRequest): SimulatedTurn => {
    const body = request.body as { tools?: { name: string }[] };
    if (!body.tools?.some((t) => t.name === 'Read' || t.name === 'read_file')) return textTurn('ok');
    const move = moves[Math.min(assistantTurns(body), moves.length - 1)] as Move;
    return turnFor(engine, move, workingDirectory(body));
  };
}

/**
 * Runs one ticket through `engine` against the simulator, whose responder the caller has set to
 * playMoves. Claude Code's engine is closed after the run (its metering proxy with it).
 */
export async function runWorker(engine: EngineName, sim: Simulator, env: { repo: string; storage: string; base: string }, overrides: Partial<TicketWorkerRequest> = {}): Promise<TicketWorkerResult> {
  const records: UsageRecord[] = [];
  const request = workerRequest(env, makeClient(sim, records), overrides);
  if (engine === 'builtin') return runTicketWorker(request);
  const claude = await engineFor(sim, records);
  try {
    return await claude.run(request);
  } finally {
    await claude.close();
  }
}

/** The text of every request the model was sent: what it received, refusals included. */
export function sentToModel(sim: Simulator): string {
  return JSON.stringify(sim.requests.map((r) => r.body));
}

/** The model was sent the write rule's refusal of `path` (as JSON in a later request, hence the escaped quotes). */
export function assertToldRefused(sim: Simulator, path: string): void {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(sentToModel(sim), new RegExp(`Refused path \\\\"[^"]*${escaped}\\\\": [^"]*may not write it`), `the model was told why ${path} was refused`);
}

/** A folder outside every repository, for marker files a hostile program would leave. */
export function markerDir(): string {
  return mkdtempSync(join(tmpdir(), 'flotilla-markers-'));
}

export function markersIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/**
 * A marker folder inside the ticket's worktree-to-be (batch B1, ticket T1 of workerRequest), for
 * programs Claude Code starts: Claude Code runs in the sandbox, where the worktree is the one place
 * they can write that the test also sees (its /tmp is private, the rest read-only). Not created
 * here — `git worktree add` wants the folder absent; markerCommand creates it.
 */
export function markerDirInWorktree(env: { readonly storage: string }): string {
  return join(env.storage, 'worktrees', 'B1', 'T1', '.markers');
}

/** A shell command that leaves `name` in `dir` and copies every readable process environment beside it. */
export function markerCommand(dir: string, name: string): string {
  return `mkdir -p '${dir}'; touch '${join(dir, name)}'; cat /proc/[0-9]*/environ > '${join(dir, `${name}.environ`)}' 2>/dev/null; true`;
}

/** Writes files into a folder (a repository before its commit, or a worktree as a gate would). */
export function writeFiles(root: string, files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** Commits everything in `repo` and returns the new commit (the batch's base). */
export function commitAll(repo: string, message: string): string {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  git('add', '--all');
  git('commit', '-qm', message);
  return git('rev-parse', 'HEAD');
}
