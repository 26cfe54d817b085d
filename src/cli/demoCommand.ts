import { execFileSync } from 'node:child_process';
import { childEnvironment } from '../core/process/childEnvironment';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTickets } from '../core/tickets/loadTickets';
import { formatProblem } from '../core/tickets/ticketProblem';
import { DEMO_TICKETS } from '../simulator/demo/demoRepository';
import { demoProjectFiles } from '../simulator/demo/demoProject';
import { cliSession, runWithProgress } from './batchSession';
import type { CliIo } from './cliIo';
import { cliSettings, warnWithoutSandbox } from './cliSettings';
import { parseEngine } from './selectionOptions';

/**
 * `flotilla demo`: creates the sample repository (a small library with real tests and six tickets of
 * mixed difficulty, with dependencies) in a temp folder and runs a batch on it — offline with the
 * simulated model, or with Claude when ANTHROPIC_API_KEY is set. Nothing outside the temp folder is
 * touched unless --storage says so.
 */
export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { storage: { type: 'string' }, simulate: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, engine: { type: 'string' } }, strict: true, allowPositionals: false });
  const root = mkdtempSync(join(tmpdir(), 'flotilla-demo-'));
  const repo = join(root, 'textkit');
  writeDemoProject(repo);
  const simulate = values.simulate || !process.env.ANTHROPIC_API_KEY;
  io.out(`demo repository: ${repo}`);
  io.out(simulate ? 'model: the built-in simulated model (offline; set ANTHROPIC_API_KEY to run the demo with Claude)' : 'model: Claude via ANTHROPIC_API_KEY');

  const settings = cliSettings();
  settings['gates.test'] = 'node --test';
  settings['commands.allow'] = ['node --test'];
  const set = await loadTickets(join(repo, settings['tickets.folder']));
  // The demo's own tickets must be valid; a problem here is a bug in Flotilla, not user input.
  if (set.problems.length > 0 || set.tickets.length !== Object.keys(DEMO_TICKETS).length) {
    for (const problem of set.problems) io.err(formatProblem(problem));
    throw new Error(`the demo tickets did not load cleanly (${set.tickets.length} of ${Object.keys(DEMO_TICKETS).length})`);
  }
  const storage = values.storage ?? join(root, 'storage');
  const { session } = cliSession({ storage, simulate, io });
  const selection = { repo, tickets: set.tickets, settings, mode: 'auto', tier: 'auto', budgetUsd: null, engine: parseEngine(values.engine, settings) } as const;
  await warnWithoutSandbox(io, settings);
  const { code, summary } = await runWithProgress(io, values.json ?? false, (hooks) => session.run(selection, hooks));
  if (!values.json) {
    io.out('');
    io.out(`branches: ${summary.tickets.flatMap((t) => (t.branch ? [t.branch] : [])).join(', ')} (in ${repo})`);
    io.out(`execution log: ${join(storage, 'batches', summary.batchId, 'execution-log.yaml')}`);
    io.out(`ledger: ${join(storage, 'ledger')}`);
    for (const line of demoNextSteps(storage)) io.out(line);
  }
  return code;
}

/**
 * How to finish the demo batch from the terminal, as the README's set-up section shows it: the same
 * commands, run from Flotilla's checkout (where `npm run demo` runs), with the storage just used.
 */
export function demoNextSteps(storage: string): string[] {
  const at = `--storage ${storage}`;
  return [
    'next, from this folder: see where the tickets stand, read a change, then accept or reject it',
    `  npx flotilla status ${at}`,
    `  npx flotilla diff ${at} D1`,
    `  npx flotilla accept ${at} D1`,
    `  npx flotilla reject ${at} D3`,
  ];
}

/** Writes the demo project with its tickets and makes the first commit. */
export function writeDemoProject(repo: string): void {
  for (const [path, text] of Object.entries(demoProjectFiles())) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Flotilla Demo', '-c', 'user.email=demo@localhost', ...args], { cwd: repo, stdio: 'ignore', env: childEnvironment() });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'textkit: initial version');
}
