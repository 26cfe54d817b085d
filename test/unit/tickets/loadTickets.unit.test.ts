import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTickets, MAX_TICKET_FILE_BYTES } from '../../../src/core/tickets/loadTickets';

describe('loadTickets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-tickets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string | Buffer) => {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, content);
    return file;
  };

  it('loads the fixture workspace: five valid tickets, one error at the right line, one warning', async () => {
    const set = await loadTickets(join(__dirname, '../../fixtures/workspace/.flotilla/tickets'));
    assert.deepEqual(set.tickets.map((t) => t.id), ['R01', 'R02', 'R03', 'R04', 'R05']);
    const summary = set.problems.map((p) => `${p.file.split('/').pop()}:${p.line}:${p.severity}`);
    assert.deepEqual(summary, ['R05.md:5:warning', 'broken.md:5:error']);
  });

  it('reports a folder that does not exist without throwing', async () => {
    const set = await loadTickets(join(dir, 'missing'));
    assert.equal(set.folderExists, false);
    assert.deepEqual(set.tickets, []);
  });

  it('reports a folder setting that names a file', async () => {
    const file = write('not-a-folder', 'x');
    const set = await loadTickets(file);
    assert.equal(set.folderExists, false);
    assert.match(set.problems[0]?.message ?? '', /names a file/);
  });

  it('reads sub-folders, ignores other file types and dot folders', async () => {
    write('a/A1.md', '---\nid: A1\ntitle: One\n---\n');
    write('notes.txt', 'not a ticket');
    write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    write('.drafts/D1.md', '---\nid: D1\ntitle: Draft\n---\n');
    const set = await loadTickets(dir);
    assert.deepEqual(set.tickets.map((t) => t.id), ['A1']);
    assert.deepEqual(set.problems, []);
  });

  it('reports a binary, a non-UTF-8 and an oversized .md file and still loads the rest', async () => {
    write('ok.md', '---\nid: OK\ntitle: Fine\n---\n');
    write('binary.md', Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01, 0x02]));
    write('latin1.md', Buffer.from('---\nid: L1\ntitle: caf\xe9\n---\n', 'latin1'));
    write('huge.md', `---\nid: H1\ntitle: Huge\n---\n${'x'.repeat(10 * 1024 * 1024)}`);
    const set = await loadTickets(dir);
    assert.deepEqual(set.tickets.map((t) => t.id), ['OK']);
    const byFile = Object.fromEntries(set.problems.map((p) => [p.file.split('/').pop(), p.message]));
    assert.match(byFile['binary.md'] ?? '', /binary file/);
    assert.match(byFile['latin1.md'] ?? '', /not valid UTF-8/);
    assert.match(byFile['huge.md'] ?? '', /10\.0 MB; ticket files are limited to 1 MB/);
    assert.ok(MAX_TICKET_FILE_BYTES < 10 * 1024 * 1024);
  });

  it('accepts a large but allowed description', async () => {
    write('big.md', `---\nid: B1\ntitle: Big\n---\n${'word '.repeat(150_000)}`);
    const set = await loadTickets(dir);
    assert.equal(set.tickets[0]?.description.length, 'word '.repeat(150_000).trim().length);
  });

  it('combines file and graph problems, sorted by file and line', async () => {
    write('R1.md', '---\nid: R1\ntitle: One\ndependsOn: [R2]\n---\n');
    write('R2.md', '---\nid: R2\ntitle: Two\ndependsOn: [R1]\n---\n');
    write('R3.md', '---\nid: R3\ntitle: Three\ndependsOn: [NOPE]\n---\n');
    const set = await loadTickets(dir);
    assert.deepEqual(set.cycles, [['R1', 'R2', 'R1']]);
    assert.deepEqual(
      set.problems.map((p) => `${p.file.split('/').pop()}:${p.line}`),
      ['R1.md:4', 'R2.md:4', 'R3.md:4'],
    );
  });
});
