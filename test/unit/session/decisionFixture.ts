import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticketWorktreePath } from '../../../src/core/git/worktrees';
import { silentLogger } from '../../../src/core/logger';
import { TicketDecisions, type TicketDecisionsOptions } from '../../../src/core/session/ticketDecisions';
import { readDecisions, type TicketDecision } from '../../../src/core/store/batchExtra';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import { GitClient } from '../../../src/core/git/gitClient';
import { git, LINES, write } from './gitFixture';

export interface FixtureTicket {
  readonly id: string;
  /** The ticket's change: path → new text. */
  readonly files: Readonly<Record<string, string>>;
  /** Builds on this ticket's result, as a batch starts a ticket with dependsOn (one dependency). */
  readonly dependsOn?: string;
  /** The ticket file's text, when not the plain one. */
  readonly ticketText?: string;
}

export interface DecisionFixture {
  readonly repo: string;
  readonly storage: string;
  readonly batchId: string;
  readonly base: string;
  /** Each ticket's branch tip as the batch recorded it. */
  readonly commits: ReadonlyMap<string, string>;
  decisions(options?: TicketDecisionsOptions): TicketDecisions;
  /** The stored decision of a ticket, read from state.json. */
  decision(ticketId: string): Promise<TicketDecision | undefined>;
  ticketFile(ticketId: string): string;
  cleanup(): void;
}

export const BATCH = 'B1';

/**
 * A repository on `main` with a ticket file per ticket, and a finished batch in storage as a run
 * leaves it: per ticket a worktree under the storage folder on `flotilla/B1/<id>` with one commit,
 * started from the base or from its dependency's commit, and a done record with branch, commit and
 * start commit. Decisions act on it as they would after `flotilla run`.
 */
export async function makeDecisionFixture(tickets: readonly FixtureTicket[]): Promise<DecisionFixture> {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-decisions-'));
  const repo = join(root, 'repo');
  const storage = join(root, 'storage');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  write(repo, 'src/a.ts', LINES(20, 'a'));
  write(repo, 'src/b.ts', LINES(5, 'b'));
  for (const t of tickets) {
    write(repo, `.flotilla/tickets/${t.id}.md`, t.ticketText ?? `---\nid: ${t.id}\ntitle: ticket ${t.id}\n${t.dependsOn ? `dependsOn: [${t.dependsOn}]\n` : ''}status: open\n---\nDo ${t.id}.\n`);
  }
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'initial');
  git(repo, 'config', 'user.name', 'User');
  git(repo, 'config', 'user.email', 'user@example.invalid');
  const base = git(repo, 'rev-parse', 'HEAD');

  const commits = new Map<string, string>();
  const records: Record<string, unknown> = {};
  for (const t of tickets) {
    const startCommit = t.dependsOn ? (commits.get(t.dependsOn) as string) : base;
    const worktree = ticketWorktreePath(storage, BATCH, t.id);
    const branch = `flotilla/${BATCH}/${t.id}`;
    git(repo, 'worktree', 'add', '-q', '-b', branch, worktree, startCommit);
    for (const [path, text] of Object.entries(t.files)) write(worktree, path, text);
    git(worktree, 'add', '--all');
    git(worktree, 'commit', '-qm', `work on ${t.id}`);
    const commit = git(worktree, 'rev-parse', 'HEAD');
    commits.set(t.id, commit);
    records[t.id] = { id: t.id, title: `ticket ${t.id}`, state: 'done', branch, commit, startCommit, stages: [] };
  }
  const store = new BatchStateStore({ storage });
  await store.create({ id: BATCH, mode: 'direct', ticketIds: tickets.map((t) => t.id), baseCommit: base, extra: { resume: { repoRoot: repo, mode: 'direct', tier: 'auto', simulated: true } } });
  await store.update(BATCH, (s) => ({ ...s, status: 'done', extra: { ...s.extra, records } }));

  return {
    repo,
    storage,
    batchId: BATCH,
    base,
    commits,
    decisions: (options) => new TicketDecisions(storage, new GitClient(), silentLogger, options),
    decision: async (ticketId) => {
      const loaded = await new BatchStateStore({ storage }).load(BATCH);
      return loaded ? readDecisions(loaded.state)[ticketId] : undefined;
    },
    ticketFile: (ticketId) => readFileSync(join(repo, `.flotilla/tickets/${ticketId}.md`), 'utf8'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
