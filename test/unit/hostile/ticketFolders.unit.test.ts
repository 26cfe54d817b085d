import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTickets, nodeTicketFileSystem, type TicketFileSystem } from '../../../src/core/tickets/loadTickets';
import { cli, makeGitRepo, tempDir } from '../cli/cliHarness';
import { assertRefused } from './hostileHarness';

const ticketText = (id: string) => `---\nid: ${id}\ntitle: Update the ${id} notes\nfiles: [notes/${id}.txt]\n---\nThe notes of ${id} should say that it is done.\n`;

/** The node file system, except that reading `denied` fails as a folder without permission would. */
function denying(denied: string): TicketFileSystem {
  return {
    ...nodeTicketFileSystem,
    readdir: async (dir) => {
      if (dir === denied) throw Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), { code: 'EACCES', syscall: 'scandir', path: dir });
      return nodeTicketFileSystem.readdir(dir);
    },
  };
}

/** Tickets folders that cannot be read, and links inside them (issue 11, item 2). */
describe('hostile tickets folders: reported, never a crash', function () {
  this.timeout(30_000);

  it('a tickets folder that cannot be read (EACCES) is an error problem naming it, not an exception', async () => {
    const folder = join(tempDir('tf'), 'tickets');
    mkdirSync(folder);
    writeFileSync(join(folder, 'A.md'), ticketText('A'));
    const set = await loadTickets(folder, denying(folder));
    assert.deepEqual(set.tickets, []);
    const [problem] = set.problems;
    assert.equal(problem?.severity, 'error');
    assert.equal(problem?.file, folder);
    assert.match(problem?.message ?? '', /the tickets folder cannot be read: permission denied \(EACCES\)/);
  });

  it('an unreadable sub-folder is skipped with a warning saying which and why; the rest loads', async () => {
    const folder = join(tempDir('tf'), 'tickets');
    mkdirSync(join(folder, 'locked'), { recursive: true });
    writeFileSync(join(folder, 'A.md'), ticketText('A'));
    writeFileSync(join(folder, 'locked', 'B.md'), ticketText('B'));
    const set = await loadTickets(folder, denying(join(folder, 'locked')));
    assert.deepEqual(set.tickets.map((t) => t.id), ['A']);
    assert.deepEqual(set.problems.map((p) => [p.file, p.severity]), [[join(folder, 'locked'), 'warning']]);
    assert.match(set.problems[0]?.message ?? '', /skipped this folder: it cannot be read: permission denied \(EACCES\)/);
  });

  it('symlinked ticket files and folders are skipped with a warning each; tickets validate shows them', async () => {
    const repo = tempDir('tf');
    const folder = join(repo, '.flotilla/tickets');
    const outside = join(tempDir('tf-outside'), 'elsewhere');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'X.md'), ticketText('X'));
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'A.md'), ticketText('A'));
    symlinkSync(join(outside, 'X.md'), join(folder, 'linked.md'));
    symlinkSync(outside, join(folder, 'linked-folder'));
    symlinkSync(join(outside, 'X.md'), join(folder, 'notes.txt')); // not a ticket either way: no word
    const set = await loadTickets(folder);
    assert.deepEqual(set.tickets.map((t) => t.id), ['A']);
    const warnings = Object.fromEntries(set.problems.map((p) => [p.file.slice(folder.length + 1), `${p.severity}: ${p.message}`]));
    assert.deepEqual(Object.keys(warnings).sort(), ['linked-folder', 'linked.md']);
    assert.match(warnings['linked.md'] ?? '', /^warning: skipped: a symbolic link/);
    assert.match(warnings['linked-folder'] ?? '', /^warning: skipped: a symbolic link to a folder/);

    const r = await cli('tickets', 'validate', '--repo', repo);
    assert.equal(r.code, 0, 'warnings alone do not fail validation');
    assert.ok(r.err.some((l) => /linked\.md:1:1: warning: skipped: a symbolic link/.test(l)), r.err.join('\n'));
    assert.match(r.out.join('\n'), /1 valid ticket .*; 0 errors, 2 warnings/);
  });

  it('validate, plan and run exit 2 with one line for a tickets folder that is a link loop (ELOOP)', async () => {
    const repo = makeGitRepo({ 'README.md': '# r\n' });
    mkdirSync(join(repo, '.flotilla'));
    symlinkSync('tickets', join(repo, '.flotilla/tickets')); // a link to itself: every read is ELOOP
    const storage = join(tempDir('tf'), 'storage');
    assertRefused(await cli('tickets', 'validate', '--repo', repo), 2, /\.flotilla\/tickets:1:1: error: the tickets folder cannot be read: a loop of symbolic links \(ELOOP\)/);
    for (const command of ['plan', 'run']) {
      const r = await cli(command, '--repo', repo, '--all', '--simulate', '--storage', storage);
      assertRefused(r, 2, new RegExp(`^flotilla ${command}: .*\\.flotilla/tickets: the tickets folder cannot be read: a loop of symbolic links \\(ELOOP\\)`));
      assert.equal(r.err.length, 1, r.err.join('\n'));
    }
  });
});
