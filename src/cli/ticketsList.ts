import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSettings } from '../core/settings/settingsSchema';
import { formatProblem } from '../core/tickets/ticketProblem';
import type { CliIo } from './cliIo';
import { stderrLogger } from './stderrLogger';
import { storageFolder } from './storageFolder';
import { table } from './textTable';
import { loadCliTickets, SOURCE_FLAGS } from './ticketSourceOptions';
import { EXIT, UsageError } from './usageError';

/**
 * `flotilla tickets list [--repo DIR] [--source files|github|both] [--query Q] [--github-repo OWNER/NAME] [--json]`:
 * the tickets a batch could run, from ticket files or GitHub issues, with their labels, dependencies
 * and (for issues) the URL. Problems go to stderr as file:line:col lines; exit 2 when GitHub cannot be
 * read (the reason and what to do) or the tickets folder is missing.
 */
export async function ticketsList(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { repo: { type: 'string' }, storage: { type: 'string' }, json: { type: 'boolean', default: false }, ...SOURCE_FLAGS },
    strict: true,
    allowPositionals: false,
  });
  const repo = resolve(values.repo ?? '.');
  if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new UsageError(`--repo ${values.repo ?? '.'}: no such folder`);
  const settings = defaultSettings();
  const { set, source } = await loadCliTickets(values, repo, settings, storageFolder(values.storage), stderrLogger(io.err));
  for (const problem of set.problems) io.err(formatProblem(problem));
  if (source === 'files' && !set.folderExists) {
    io.err(`no tickets folder at ${join(repo, settings['tickets.folder'])} (create it, check --repo, or list GitHub issues with --source github)`);
    return EXIT.badInput;
  }
  if (values.json) {
    for (const t of set.tickets) {
      io.out(JSON.stringify({ id: t.id, title: t.title, status: t.status, labels: t.labels, priority: t.priority ?? null, dependsOn: t.dependsOn, url: t.issue?.url ?? null, file: t.issue ? null : t.file }));
    }
    return EXIT.ok;
  }
  const rows = set.tickets.map((t) => [t.id, t.title, t.labels.join(', '), t.dependsOn.join(', ') || '—', t.issue?.url ?? t.file]);
  io.out(table(['ticket', 'title', 'labels', 'after', 'where'], rows, 90));
  const from = set.github && !set.github.failure ? `GitHub ${set.github.repository}${source === 'both' ? ' and ticket files' : ''}` : 'ticket files';
  io.out(`${set.tickets.length} ticket${set.tickets.length === 1 ? '' : 's'} from ${from}`);
  return EXIT.ok;
}
