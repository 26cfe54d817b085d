import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../../src/cli/main';
import { DEMO_FILES, DEMO_TICKETS } from '../../../src/simulator/demo/demoRepository';

export const REPO_ROOT = join(__dirname, '../../..');

export interface CliResult {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** One CLI invocation in-process, through the same entry point as dist/cli.js. */
export async function cli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `flotilla-${prefix}-`));
}

/** A committed git repository with these files (paths relative to its root). */
export function makeGitRepo(files: Readonly<Record<string, string>>): string {
  const repo = join(tempDir('cli'), 'repo');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'initial');
  return repo;
}

/** The demo project (textkit with six tickets), as `flotilla demo` writes it. */
export function makeDemoRepo(): string {
  const files: Record<string, string> = { ...DEMO_FILES };
  for (const [name, text] of Object.entries(DEMO_TICKETS)) files[`.flotilla/tickets/${name}`] = text;
  return makeGitRepo(files);
}

export interface LedgerLine {
  readonly ticketId: string | null;
  readonly stage: string;
  readonly costUsd: number | null;
  readonly batchId: string;
}

/** Every usage record under `<storage>/ledger/`, in file order. */
export function readLedger(storage: string): LedgerLine[] {
  const folder = join(storage, 'ledger');
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.jsonl')).sort();
  } catch {
    return [];
  }
  return names.flatMap((n) =>
    readFileSync(join(folder, n), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as LedgerLine),
  );
}

export const ledgerSpend = (storage: string): number => readLedger(storage).reduce((n, r) => n + (r.costUsd ?? 0), 0);
