import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { silentLogger } from '../../../src/core/logger';
import { defaultSettings, type Settings } from '../../../src/core/settings/settingsSchema';
import { ClaudeCodeEngine } from '../../../src/core/worker/claudeCode/claudeCodeEngine';
import { findClaudeCode } from '../../../src/core/worker/claudeCode/findClaudeCode';
import { textTurn } from '../../../src/simulator/responders';
import type { RecordedRequest, SimulatedTurn, Simulator } from '../../../src/simulator/simulatorTypes';

/** A key that must never appear anywhere Flotilla writes, nor in Claude Code's environment. */
export const REAL_KEY = `sk-ant-api03-real-key-${Date.now().toString(36)}-must-not-leak`;

/**
 * Claude Code in tests: its own config folder in a temp dir (nothing of this machine's user
 * settings leaks in), telemetry and updates off (the engine sets those for every run).
 */
export function isolateClaudeConfig(): void {
  let previous: string | undefined;
  before(() => {
    previous = process.env.CLAUDE_CONFIG_DIR;
    process.env.CLAUDE_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'flotilla-claude-config-'));
  });
  after(() => {
    if (previous === undefined) delete process.env.CLAUDE_CONFIG_DIR;
    else process.env.CLAUDE_CONFIG_DIR = previous;
  });
}

export async function claudeExecutable(): Promise<string> {
  const { found, tried } = await findClaudeCode({ settingPath: '' });
  if (!found) throw new Error(`the claude executable of the devDependencies is missing (${tried.join('; ')}); run npm ci`);
  return found.path;
}

export async function engineFor(sim: Simulator, records: UsageRecord[], settings: Partial<Settings> = {}): Promise<ClaudeCodeEngine> {
  return new ClaudeCodeEngine({
    executable: await claudeExecutable(),
    reason: 'test',
    settings: { ...defaultSettings(), ...settings },
    upstream: { baseURL: sim.url, apiKey: REAL_KEY },
    meter: { beforeCall: () => undefined, recordUsage: async (r) => void records.push(r) },
    logger: silentLogger,
  });
}

/** A responder that plays `script(cwd)` turn by turn for the worker's requests, and answers side calls briefly. */
export function scripted(script: (cwd: string) => SimulatedTurn[]) {
  return (request: RecordedRequest): SimulatedTurn => {
    const body = request.body as { tools?: { name: string }[] };
    if (!body.tools?.some((t) => t.name === 'Read')) return textTurn('ok');
    const turns = script(workingDirectory(body));
    return turns[Math.min(assistantTurns(body), turns.length - 1)] as SimulatedTurn;
  };
}

/** Claude Code's working directory, as it tells the model. */
export function workingDirectory(body: unknown): string {
  return /Primary working directory: ([^\n"\\]+)/.exec(JSON.stringify(body))?.[1] ?? '.';
}

export function assistantTurns(body: unknown): number {
  const messages = (body as { messages?: { role: string }[] }).messages ?? [];
  return messages.filter((m) => m.role === 'assistant').length;
}

/** Live processes (not zombies) whose command line contains `text`. */
export function processesWith(text: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(text) && state !== 'Z' && Number(entry) !== process.pid) out.push(Number(entry));
    } catch {
      // gone while reading
    }
  }
  return out;
}

/** Claude Code processes whose working directory is `cwd`. */
export function claudeProcessesIn(cwd: string): number[] {
  return processesWith('claude-agent-sdk').filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === cwd;
    } catch {
      return false;
    }
  });
}

export function environOf(pid: number): Record<string, string> {
  const text = readFileSync(`/proc/${pid}/environ`, 'utf8');
  return Object.fromEntries(text.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

/** Every file under `dir` whose bytes contain `needle` (storage, transcripts, worktrees). */
export function filesContaining(dir: string, needle: string): string[] {
  if (!existsSync(dir)) return [];
  const hits: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && readFileSync(path).includes(needle)) hits.push(path);
    }
  };
  walk(dir);
  return hits;
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}
