import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTicket } from './parseTicket';
import { checkTicketGraph, compareIds } from './ticketGraph';
import { problemAt, START_OF_FILE, type TicketProblem } from './ticketProblem';
import type { Ticket } from './ticketSchema';
import { errorMessage } from '../errorText';
import type { GitHubError } from './github/githubErrors';
import { describeFsCode, fsFailureOf } from '../fsFailure';

/** Ticket files larger than this are reported, not parsed: a description is prose, not a data dump. */
export const MAX_TICKET_FILE_BYTES = 1024 * 1024;

/** The file-system calls the loader needs, so tests and other hosts can supply their own. */
export interface TicketFileSystem {
  /** Entries describe themselves, links included (not followed), as `readdir(dir, { withFileTypes: true })` does. */
  readdir(dir: string): Promise<{ name: string; isDirectory(): boolean; isFile(): boolean; isSymbolicLink(): boolean }[]>;
  size(file: string): Promise<number>;
  readFile(file: string): Promise<Uint8Array>;
  /** Whether a path (a link's target) is a folder; false when it cannot be reached. */
  isDirectory(path: string): Promise<boolean>;
}

export const nodeTicketFileSystem: TicketFileSystem = {
  readdir: (dir) => readdir(dir, { withFileTypes: true }),
  size: async (file) => (await stat(file)).size,
  readFile: (file) => readFile(file),
  isDirectory: (path) => stat(path).then((s) => s.isDirectory(), () => false),
};

export interface TicketSet {
  readonly folder: string;
  /** False when the folder does not exist (a normal state for a repository without tickets yet). */
  readonly folderExists: boolean;
  /** Valid tickets, sorted by id. */
  readonly tickets: readonly Ticket[];
  /** Every problem, sorted by file and line. A file with an error is absent from `tickets`. */
  readonly problems: readonly TicketProblem[];
  readonly cycles: readonly (readonly string[])[];
  /** Every ticket file looked at, valid or not, so a view can clear stale diagnostics. */
  readonly files: readonly string[];
  /** Why the folder itself could not be listed (a file in its place, no permission); also in `problems`. */
  readonly folderProblem?: TicketProblem;
  /**
   * Present when the tickets include GitHub issues (ticketSources.ts): the repository (`owner/name`)
   * and, when the issues could not be listed, why (the file tickets, if any, still load).
   */
  readonly github?: { readonly repository: string; readonly failure?: GitHubError };
}

const READ_CONCURRENCY = 64;

/** A tickets folder as read, before the checks across tickets (ids, dependencies, cycles). */
export type TicketFolderRead = Omit<TicketSet, 'cycles'>;

/** Loads every `*.md` file below `folder` (recursively) as a ticket. Never throws for bad files. */
export async function loadTickets(folder: string, fs: TicketFileSystem = nodeTicketFileSystem): Promise<TicketSet> {
  return withTicketGraph(await readTicketFolder(folder, fs));
}

/**
 * The checks no single ticket can make, over everything read (ticket files, issues, or both):
 * duplicate ids, unknown dependencies, cycles. Problems end sorted by file and line, tickets by id.
 */
export function withTicketGraph<T extends Omit<TicketSet, 'cycles'>>(read: T): T & Pick<TicketSet, 'cycles'> {
  const graph = checkTicketGraph(read.tickets);
  const problems = [...read.problems, ...graph.problems];
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
  const tickets = [...graph.tickets].sort((a, b) => compareIds(a.id, b.id));
  return { ...read, tickets, problems, cycles: graph.cycles };
}

/** Every ticket file below `folder`, parsed one by one; nothing checked across files yet. */
export async function readTicketFolder(folder: string, fs: TicketFileSystem = nodeTicketFileSystem): Promise<TicketFolderRead> {
  let listing: MarkdownListing;
  try {
    listing = await listMarkdownFiles(folder, fs);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return { folder, folderExists: false, tickets: [], problems: [], files: [] };
    const failure = fsFailureOf(error);
    // Any other reason the folder cannot be listed is the user's to fix: say which folder and why.
    if (!failure) throw error;
    const message = failure.code === 'ENOTDIR' ? 'the tickets folder setting names a file, not a folder' : `the tickets folder cannot be read: ${describeFsCode(failure.code)}`;
    const problem = problemAt(folder, START_OF_FILE, 'error', message);
    return { folder, folderExists: false, tickets: [], problems: [problem], files: [], folderProblem: problem };
  }
  const files = [...listing.files].sort();

  const results = await mapWithConcurrency(files, READ_CONCURRENCY, (file) => readTicketFile(file, fs));
  const tickets: Ticket[] = [];
  const problems: TicketProblem[] = [...listing.skipped];
  for (const result of results) {
    if (result.ticket) tickets.push(result.ticket);
    problems.push(...result.problems);
  }
  return { folder, folderExists: true, tickets, problems, files };
}

async function readTicketFile(file: string, fs: TicketFileSystem): Promise<{ ticket?: Ticket; problems: readonly TicketProblem[] }> {
  const fail = (message: string) => ({ problems: [problemAt(file, START_OF_FILE, 'error', message)] });
  try {
    const size = await fs.size(file);
    if (size > MAX_TICKET_FILE_BYTES) {
      return fail(`the file is ${(size / 1024 / 1024).toFixed(1)} MB; ticket files are limited to ${MAX_TICKET_FILE_BYTES / 1024 / 1024} MB — move large material to a separate file and link it`);
    }
    const bytes = await fs.readFile(file);
    if (bytes.includes(0)) return fail('this is a binary file, not a Markdown ticket; move it out of the tickets folder');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return fail('the file is not valid UTF-8 text; re-save it with UTF-8 encoding');
    }
    return parseTicket(file, text);
  } catch (error) {
    // A file deleted between listing and reading is simply gone, not a problem.
    if (isErrno(error, 'ENOENT')) return { problems: [] };
    return fail(`could not read the file: ${errorMessage(error)}`);
  }
}

interface MarkdownListing {
  readonly files: readonly string[];
  /** Warnings for what was not read: links, folders that cannot be listed. */
  readonly skipped: readonly TicketProblem[];
}

/**
 * Every `*.md` below `folder`. Links inside the folder are not followed — a ticket cannot pull in a
 * file from outside the repository, and a link loop cannot hang the walk — but a link that looks like
 * a ticket or a folder of tickets is reported, as is a sub-folder that cannot be read, so nothing is
 * left out without a word. Throws only when `folder` itself cannot be listed.
 */
async function listMarkdownFiles(folder: string, fs: TicketFileSystem): Promise<MarkdownListing> {
  const files: string[] = [];
  const skipped: TicketProblem[] = [];
  const pending = [folder];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch (error) {
      if (dir === folder) throw error;
      // A sub-folder removed mid-walk is simply gone; one that cannot be read hides tickets, so say so.
      const failure = fsFailureOf(error);
      if (failure && failure.code !== 'ENOENT') skipped.push(problemAt(dir, START_OF_FILE, 'warning', `skipped this folder: it cannot be read: ${describeFsCode(failure.code)}; the tickets inside are not loaded`));
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const why = await linkProblem(path, entry.name, fs);
        if (why) skipped.push(problemAt(path, START_OF_FILE, 'warning', why));
      } else if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && isMarkdown(entry.name)) files.push(path);
    }
  }
  return { files, skipped };
}

const isMarkdown = (name: string): boolean => name.toLowerCase().endsWith('.md');

async function linkProblem(path: string, name: string, fs: TicketFileSystem): Promise<string | undefined> {
  const why = 'Flotilla does not follow links inside the tickets folder, so a ticket cannot come from outside the repository; move or copy the real';
  if (await fs.isDirectory(path)) return `skipped: a symbolic link to a folder (${why} folder here)`;
  if (isMarkdown(name)) return `skipped: a symbolic link (${why} file here)`;
  return undefined;
}

export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
