import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTicketStatus, TicketFileFormatError, withTicketStatus } from '../../../src/core/tickets/setTicketStatus';
import { parseTicket } from '../../../src/core/tickets/parseTicket';

const TICKET = `---
id: R03                     # required
title: Replace withUIContext   # a comment: status: open
labels: [refactor]
acceptance:
  - "status: open, quoted, is not a key"
  - Code compiles
status: open                # open | in-progress | review | done
---
Free text description.
status: open
`;

describe('setTicketStatus: one line changes, every other byte stays', () => {
  it('changes only the value on the status line, keeping its spacing and comment', () => {
    const next = withTicketStatus(TICKET, 'done');
    assert.equal(next, TICKET.replace('status: open                # open', 'status: done                # open'));
  });

  it('keeps CRLF line endings and a byte-order mark', () => {
    const crlf = `\ufeff${TICKET.replace(/\n/g, '\r\n')}`;
    const next = withTicketStatus(crlf, 'done');
    assert.equal(next, crlf.replace('status: open                # open | in-progress | review | done\r\n', 'status: done                # open | in-progress | review | done\r\n'));
  });

  it('replaces a quoted value in its quotes, and fills an empty one', () => {
    assert.equal(withTicketStatus('---\nid: A\ntitle: T\nstatus: "review"\n---\n', 'done'), '---\nid: A\ntitle: T\nstatus: "done"\n---\n');
    assert.equal(withTicketStatus('---\nid: A\ntitle: T\nstatus: # to do\n---\nbody', 'done'), '---\nid: A\ntitle: T\nstatus: done # to do\n---\nbody');
    assert.equal(withTicketStatus('---\nid: A\ntitle: T\nstatus:\n---\nbody', 'done'), '---\nid: A\ntitle: T\nstatus: done\n---\nbody');
  });

  it('adds a status line at the end of the front matter when there is none, in the file\'s line ending', () => {
    assert.equal(withTicketStatus('---\nid: A\ntitle: T\n---\nbody\n', 'done'), '---\nid: A\ntitle: T\nstatus: done\n---\nbody\n');
    assert.equal(withTicketStatus('---\r\nid: A\r\ntitle: T\r\n...\r\n', 'done'), '---\r\nid: A\r\ntitle: T\r\nstatus: done\r\n...\r\n');
  });

  it('leaves a file without front matter alone and says why', () => {
    assert.deepEqual(withTicketStatus('# just markdown\n', 'done'), { error: 'no YAML front matter: a ticket file starts with a "---" line, then at least "id:" and "title:", then "---"' });
  });

  it('writes the file in place, and the parser reads the new status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-status-'));
    try {
      const file = join(dir, 'R03.md');
      writeFileSync(file, TICKET);
      await setTicketStatus(file, 'done');
      const text = readFileSync(file, 'utf8');
      assert.equal(text.length, TICKET.length, 'same length: open and done are both four letters');
      const parsed = parseTicket(file, text);
      assert.ok(parsed.ticket, JSON.stringify(parsed.problems));
      assert.equal(parsed.ticket.status, 'done');
      writeFileSync(file, 'no front matter');
      await assert.rejects(setTicketStatus(file, 'done'), TicketFileFormatError);
      assert.equal(readFileSync(file, 'utf8'), 'no front matter');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
