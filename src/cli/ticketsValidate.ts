import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadTickets } from '../core/tickets/loadTickets';
import { formatProblem } from '../core/tickets/ticketProblem';
import { settingsShape } from '../core/settings/settingsSchema';
import { EXIT, UsageError } from './usageError';
import type { CliIo } from './cliIo';

/**
 * `flotilla tickets validate --repo DIR [--folder PATH] [--json]`: every problem as
 * `file:line:col: severity: message`; exit 0 when no file has an error, 2 otherwise.
 */
export async function ticketsValidate(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { repo: { type: 'string' }, folder: { type: 'string' }, json: { type: 'boolean', default: false } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.repo) throw new UsageError('tickets validate needs --repo DIR (the repository whose tickets to check)');
  const repo = resolve(values.repo);
  if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new UsageError(`--repo ${values.repo}: no such folder`);
  const folder = resolve(repo, values.folder ?? settingsShape['tickets.folder'].parse(undefined));
  const set = await loadTickets(folder);
  const errors = set.problems.filter((p) => p.severity === 'error').length;
  const warnings = set.problems.length - errors;
  if (values.json) {
    io.out(JSON.stringify({ folder, folderExists: set.folderExists, tickets: set.tickets.map((t) => t.id), problems: set.problems, cycles: set.cycles }));
  } else {
    const rel = (file: string) => relative(process.cwd(), file) || file;
    for (const problem of set.problems) io.err(formatProblem(problem, rel));
    if (!set.folderExists && !set.folderProblem) io.err(`${rel(folder)}: the tickets folder does not exist (create it, or pass --folder)`);
    io.out(`${set.tickets.length} valid ticket${set.tickets.length === 1 ? '' : 's'} in ${rel(folder)}; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  }
  return errors > 0 || !set.folderExists ? EXIT.badInput : EXIT.ok;
}
