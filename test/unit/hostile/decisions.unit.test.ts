import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { git, LINES } from '../session/gitFixture';
import { makeDecisionFixture } from '../session/decisionFixture';
import { ensureCliBuilt, runCliProcess } from './cliProcess';
import { assertRefused } from './hostileHarness';

interface StoredState {
  readonly extra: { readonly reviewDecisions?: Record<string, { ticket?: string; into?: string; commit?: string }> };
}

const stateOf = (storage: string, batchId: string): StoredState => JSON.parse(readFileSync(join(storage, 'batches', batchId, 'state.json'), 'utf8')) as StoredState;

/** Issue 20 item 6 and issue 21 defects 1–2, played through the CLI as a user or a script would. */
describe('hostile decisions: accept and reject follow the graph and say what they did', function () {
  this.timeout(240_000);

  describe('on a simulated demo batch where D4 builds on D2', () => {
    let repo: string;
    let storage: string;
    let batchId: string;

    before(async () => {
      repo = makeDemoRepo();
      storage = tempDir('hostile-decisions');
      const run = await cli('run', '--repo', repo, '--tickets', 'D2,D3,D4', '--mode', 'direct', '--simulate', '--json', '--storage', storage);
      assert.equal(run.code, 0, run.err.join('\n'));
      const status = await cli('status', '--storage', storage, '--json');
      batchId = (JSON.parse(status.out.join('\n')) as { id: string }).id;
    });

    it('refuses to accept D4 once D2 is rejected, naming D2 and the next step, with the repository untouched', async () => {
      assert.equal((await cli('reject', '--storage', storage, 'D2')).code, 0);
      const head = git(repo, 'rev-parse', 'HEAD');
      const accept = await cli('accept', '--storage', storage, 'D4');
      assertRefused(accept, 2, /^flotilla accept: D4 \(batch \S+\) is built on D2, which was rejected: accepting it would merge D2's change too\. Reject D4, or run it again in a new batch without D2\.$/);
      assert.equal(accept.err.length, 1, accept.err.join('\n'));
      assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
      assert.equal(git(repo, 'status', '--porcelain'), '');
      assert.equal(stateOf(storage, batchId).extra.reviewDecisions?.D4, undefined);
    });

    it("accept reports the commit that is on the branch (git rev-parse HEAD), and stores it", async () => {
      const accept = await cli('accept', '--storage', storage, 'D3');
      assert.equal(accept.code, 0, accept.err.join('\n'));
      const head = git(repo, 'rev-parse', 'HEAD');
      assert.equal(accept.out.join('\n'), `accepted D3 (batch ${batchId}): merge commit ${head.slice(0, 12)} on main`);
      const stored = stateOf(storage, batchId).extra.reviewDecisions?.D3;
      assert.equal(stored?.commit, head);
      assert.equal(stored?.into, 'main');
      assert.match(git(repo, 'show', 'HEAD:.flotilla/tickets/D3.md'), /^status: done$/m, 'the reported commit carries the status line');
    });

    it('reject after accept exits 2 with one line and changes nothing; so does a second accept', async () => {
      const head = git(repo, 'rev-parse', 'HEAD');
      const before = readFileSync(join(storage, 'batches', batchId, 'state.json'), 'utf8');
      const reject = await cli('reject', '--storage', storage, 'D3');
      assertRefused(reject, 2, /^flotilla reject: D3 \(batch \S+\) was already accepted into main \(commit [0-9a-f]{12}\); rejecting it now would not take that merge back\. Revert the commit yourself if you no longer want the change\.$/);
      assert.equal(reject.err.length, 1);
      const again = await cli('accept', '--storage', storage, 'D3');
      assertRefused(again, 2, /^flotilla accept: D3 \(batch \S+\) was already accepted into main \(commit [0-9a-f]{12}\); there is nothing left to merge\.$/);
      assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
      assert.equal(readFileSync(join(storage, 'batches', batchId, 'state.json'), 'utf8'), before, 'state.json untouched');
      const status = JSON.parse((await cli('status', '--storage', storage, '--json')).out.join('\n')) as { tickets: { id: string; state: string }[] };
      assert.equal(status.tickets.find((t) => t.id === 'D3')?.state, 'accepted');
    });
  });

  it('accept of a ticket whose file cannot be edited safely merges, leaves the file byte-for-byte alone and says why', async () => {
    // js-yaml (the fast reader) takes the lone CR as a line break; the editing reader does not: no edit is safe.
    const text = '---\nid: T1\rstatus: open\ntitle: ticket T1\n---\nDo T1.\n';
    const fx = await makeDecisionFixture([{ id: 'T1', files: { 'src/b.ts': 'one\n' }, ticketText: text }]);
    try {
      const accept = await cli('accept', '--storage', fx.storage, 'T1');
      assert.equal(accept.code, 0, accept.err.join('\n'));
      assert.match(accept.out.join('\n'), /^accepted T1 \(batch B1\): merge commit [0-9a-f]{12} on main$/);
      assert.ok(accept.err.some((l) => /^warning: Accepted T1, but the ticket file's status could not be set: \S+T1\.md: its front matter cannot be edited safely .*; its status was not changed\.$/.test(l)), accept.err.join('\n'));
      assert.equal(fx.ticketFile('T1'), text);
      assert.equal(git(fx.repo, 'rev-parse', 'HEAD^2'), fx.commits.get('T1'));
      assert.equal(git(fx.repo, 'status', '--porcelain'), '');
    } finally {
      fx.cleanup();
    }
  });

  it('two concurrent `flotilla accept` processes of tickets that change the same lines: one merges, the other is refused with the conflict (exit 4), the repository is consistent', async () => {
    ensureCliBuilt();
    const edit = (line: string) => LINES(20, 'a').replace('a 1\n', `${line}\n`);
    const fx = await makeDecisionFixture([
      { id: 'T1', files: { 'src/a.ts': edit('one') } },
      { id: 'T2', files: { 'src/a.ts': edit('two') } },
    ]);
    try {
      // git on PATH is a wrapper that pauses before the fast-forward, so both accepts have simulated
      // their merge before either moves the branch — the window the lock must close.
      const bin = join(tempDir('slow-git'), 'bin');
      mkdirSync(bin);
      const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      writeFileSync(join(bin, 'git'), `#!/bin/sh\nfor a in "$@"; do [ "$a" = "--ff-only" ] && sleep 2; done\nexec ${realGit} "$@"\n`);
      chmodSync(join(bin, 'git'), 0o755);
      const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
      const runs = await Promise.all(['T1', 'T2'].map((id) => runCliProcess(['accept', '--storage', fx.storage, id], env)));
      const codes = runs.map((r) => r.code);
      assert.deepEqual([...codes].sort(), [0, 4], runs.map((r) => r.stderr).join('\n'));
      const loser = runs[codes.indexOf(4)]!;
      assert.match(loser.stderr, /^flotilla accept: Merging flotilla\/B1\/T[12] into main would conflict in 1 file\(s\): src\/a\.ts\. Nothing was changed\./m);
      const winner = codes.indexOf(0) === 0 ? 'T1' : 'T2';
      assert.equal(git(fx.repo, 'rev-parse', 'HEAD^2'), fx.commits.get(winner));
      assert.equal(git(fx.repo, 'status', '--porcelain'), '');
      assert.equal((await fx.decision(winner))?.ticket, 'accepted');
      assert.equal(await fx.decision(winner === 'T1' ? 'T2' : 'T1'), undefined, 'the refused one still awaits review');
      assert.notEqual(git(fx.repo, 'branch', '--list', `flotilla/B1/${winner === 'T1' ? 'T2' : 'T1'}`), '', 'and keeps its branch');
    } finally {
      fx.cleanup();
    }
  });
});
