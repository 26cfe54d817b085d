import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeDemoRepo, readLedger, tempDir } from './cliHarness';

const git = (repo: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, encoding: 'utf8' }).trim();

interface StatusJson {
  readonly id: string;
  readonly tickets: readonly { id: string; state: string; branch: string | null; into: string | null; files: Record<string, string> }[];
}

/** The CLI finishes what it starts: status, diff, accept (exit 4 on a conflict), reject — issue 10. */
describe('the CLI decides on finished tickets (status, diff, accept, reject) on a simulated demo batch', function () {
  this.timeout(180_000);
  let repo: string;
  let storage: string;
  let batchId: string;

  const status = async (): Promise<StatusJson> => {
    const result = await cli('status', '--storage', storage, '--json');
    assert.equal(result.code, 0, result.err.join('\n'));
    return JSON.parse(result.out.join('\n')) as StatusJson;
  };
  const ticket = (view: StatusJson, id: string) => view.tickets.find((t) => t.id === id)!;

  before(async function () {
    repo = makeDemoRepo();
    storage = tempDir('decide');
    const run = await cli('run', '--repo', repo, '--tickets', 'D1,D2,D3', '--mode', 'direct', '--simulate', '--json', '--storage', storage);
    assert.equal(run.code, 0, run.err.join('\n'));
    batchId = (await status()).id;
  });

  it('status lists every ticket awaiting review with its branch, and a human table with the next command', async function () {
    const view = await status();
    assert.deepEqual(view.tickets.map((t) => [t.id, t.state]), [['D1', 'awaitingReview'], ['D2', 'awaitingReview'], ['D3', 'awaitingReview']]);
    assert.ok(view.tickets.every((t) => t.branch !== null));
    const table = await cli('status', '--storage', storage);
    assert.match(table.out.join('\n'), /D1\s+awaiting review/);
    assert.match(table.out.join('\n'), /3 awaiting review: flotilla diff --storage .* D1, then accept or reject/);
  });

  it('diff prints the change against the batch base, and one file with --file', async function () {
    const full = await cli('diff', '--storage', storage, 'D1');
    assert.equal(full.code, 0, full.err.join('\n'));
    const text = full.out.join('\n');
    assert.match(text, /^diff --git a\//m);
    const files = [...text.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]!);
    assert.ok(files.length > 0);
    const one = await cli('diff', '--storage', storage, 'D1', '--file', files[0]!);
    assert.equal([...one.out.join('\n').matchAll(/^diff --git /gm)].length, 1);
    const wrong = await cli('diff', '--storage', storage, 'D1', '--file', 'no/such/file.ts');
    assert.equal(wrong.code, 2);
    assert.match(wrong.err.join('\n'), /no\/such\/file\.ts is not part of the change of D1; its files: /);
  });

  it('accept merges the ticket into the current branch and status says so; a second accept is refused and changes nothing', async function () {
    const branch = ticket(await status(), 'D1').branch!;
    const tip = git(repo, 'rev-parse', branch);
    const result = await cli('accept', '--storage', storage, 'D1');
    assert.equal(result.code, 0, result.err.join('\n'));
    assert.match(result.out.join('\n'), /^accepted D1 \(batch .*\): merge commit [0-9a-f]{12} on main$/);
    git(repo, 'merge-base', '--is-ancestor', tip, 'main'); // throws when the ticket is not in main
    // Accepted is done (issue 12 item 2): the ticket file says so in the merge commit, the branch is gone.
    assert.match(readFileSync(join(repo, '.flotilla/tickets/D1.md'), 'utf8'), /^status: done$/m);
    assert.deepEqual(git(repo, 'show', '--name-only', '--format=', 'HEAD', '--', '.flotilla/tickets').split('\n'), ['.flotilla/tickets/D1.md']);
    assert.equal(git(repo, 'branch', '--list', branch), '');
    assert.equal(git(repo, 'status', '--porcelain'), '');
    const after = ticket(await status(), 'D1');
    assert.equal(after.state, 'accepted');
    assert.equal(after.into, 'main');
    const head = git(repo, 'rev-parse', 'HEAD');
    const again = await cli('accept', '--storage', storage, 'D1');
    assert.equal(again.code, 2);
    assert.match(again.err.join('\n'), /^flotilla accept: D1 \(batch .*\) was already accepted into main \(commit [0-9a-f]{12}\); there is nothing left to merge\.$/);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
  });

  it('accept exits 4 naming the files when the merge would conflict, and leaves the repository untouched', async function () {
    const changed = git(repo, 'diff', '--name-only', `${git(repo, 'rev-parse', 'HEAD')}...${ticket(await status(), 'D3').branch!}`).split('\n')[0]!;
    writeFileSync(join(repo, changed), 'a line the ticket did not expect\n');
    git(repo, 'commit', '-qam', 'a conflicting change on main');
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = await cli('accept', '--storage', storage, 'D3');
    assert.equal(result.code, 4, result.err.join('\n'));
    assert.ok(result.err.join('\n').includes(changed), result.err.join('\n'));
    assert.match(result.err.join('\n'), /Nothing was changed\./);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
    assert.equal(git(repo, 'status', '--porcelain'), '');
    assert.equal(ticket(await status(), 'D3').state, 'awaitingReview');
  });

  it('reject removes the worktree and the branch and status shows it rejected; the ticket cannot be accepted afterwards', async function () {
    const branch = ticket(await status(), 'D2').branch!;
    const worktree = join(storage, 'worktrees', batchId, 'D2');
    assert.ok(existsSync(worktree));
    const result = await cli('reject', '--storage', storage, 'D2');
    assert.equal(result.code, 0, result.err.join('\n'));
    assert.equal(existsSync(worktree), false);
    assert.equal(git(repo, 'branch', '--list', branch), '');
    assert.equal(ticket(await status(), 'D2').state, 'rejected');
    const accept = await cli('accept', '--storage', storage, 'D2');
    assert.equal(accept.code, 2);
    assert.match(accept.err.join('\n'), /D2 was rejected in batch .*; its branch is gone/);
  });

  it('request-changes runs a fix loop with the message on the ticket, metered in the same batch; an accepted ticket is refused', async function () {
    const before = readLedger(storage).filter((r) => r.ticketId === 'D3').length;
    const result = await cli('request-changes', '--storage', storage, 'D3', '--message', 'Also handle an empty string', '--simulate');
    assert.ok(result.code === 0 || result.code === 1, result.err.join('\n'));
    assert.match(result.out.at(-1) ?? '', /^D3: (done|failed).*; see flotilla diff --storage /);
    const fixCalls = readLedger(storage).filter((r) => r.ticketId === 'D3' && r.batchId === batchId);
    assert.ok(fixCalls.length > before, 'the fix loop made metered calls');
    assert.ok(fixCalls.some((r) => r.stage === 'fix'), 'recorded as the fix stage');
    const noMessage = await cli('request-changes', '--storage', storage, 'D3', '--simulate');
    assert.equal(noMessage.code, 2);
    assert.match(noMessage.err.join('\n'), /--message TEXT is required/);
    const accepted = await cli('request-changes', '--storage', storage, 'D1', '--message', 'more', '--simulate');
    assert.equal(accepted.code, 2);
    assert.match(accepted.err.join('\n'), /D1 \(batch .*\) was already accepted into main/);
  });

  it('bad input is exit 2 with one line: no ticket, an unknown ticket, an unknown batch', async function () {
    for (const [args, pattern] of [
      [['accept', '--storage', storage], /accept takes one ticket id \(got none\)/],
      [['accept', '--storage', storage, 'NOPE'], /No finished ticket NOPE with a branch to review/],
      [['status', '--storage', storage, '--batch', 'nope'], /unknown batch "nope"/],
      [['reject', '--storage', storage, '--batch', 'nope', 'D1'], /No finished ticket D1 in batch nope/],
    ] as const) {
      const result = await cli(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err.join('\n')}`);
      assert.equal(result.err.length, 1);
      assert.match(result.err[0]!, pattern);
    }
  });
});
