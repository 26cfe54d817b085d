import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitFrontMatter } from '../../../src/core/tickets/frontMatter';
import { parseTicket } from '../../../src/core/tickets/parseTicket';
import { setTicketStatus, TicketFileFormatError, withTicketStatus } from '../../../src/core/tickets/setTicketStatus';
import type { Ticket } from '../../../src/core/tickets/ticketSchema';

/**
 * Issue 20 item 6: accept rewrote 5 of 25 unusual but valid ticket files into invalid YAML and
 * committed them. Every file here is a valid ticket; after setting `status: done` it is either a
 * valid ticket with status done and nothing else changed (`after` is the exact expected text when
 * given), or untouched with the reason.
 */
type Expected = { readonly done: true; readonly after?: string } | { readonly untouched: RegExp };

const BODY = 'The body.\nstatus: open\n---\nstill the body\n';
const CASES: readonly (readonly [string, string, Expected])[] = [
  ['plain', '---\nid: A\ntitle: T\nstatus: open\n---\n' + BODY, { done: true, after: '---\nid: A\ntitle: T\nstatus: done\n---\n' + BODY }],
  ['comments everywhere', '---\n# about A\nid: A # the id\ntitle: T   # status: open\nstatus: open # open | done\n# end\n---\n', { done: true, after: '---\n# about A\nid: A # the id\ntitle: T   # status: open\nstatus: done # open | done\n# end\n---\n' }],
  ['CRLF', '---\r\nid: A\r\ntitle: T\r\nstatus: open\r\n---\r\nbody\r\n', { done: true, after: '---\r\nid: A\r\ntitle: T\r\nstatus: done\r\n---\r\nbody\r\n' }],
  ['BOM and CRLF, status missing', '\ufeff---\r\nid: A\r\ntitle: T\r\n---\r\nbody\r\n', { done: true, after: '\ufeff---\r\nid: A\r\ntitle: T\r\nstatus: done\r\n---\r\nbody\r\n' }],
  ['double-quoted key', '---\nid: A\n"status": open\ntitle: T\n---\n', { done: true, after: '---\nid: A\n"status": done\ntitle: T\n---\n' }],
  ['single-quoted key', "---\nid: A\n'status': open\ntitle: T\n---\n", { done: true, after: "---\nid: A\n'status': done\ntitle: T\n---\n" }],
  ['double-quoted value', '---\nid: A\ntitle: T\nstatus: "open"\n---\n', { done: true, after: '---\nid: A\ntitle: T\nstatus: "done"\n---\n' }],
  ['single-quoted value', "---\nid: A\ntitle: T\nstatus: 'review'\n---\n", { done: true, after: "---\nid: A\ntitle: T\nstatus: 'done'\n---\n" }],
  ['flow map', '---\n{id: A, title: T, status: open}\n---\n', { done: true, after: '---\n{id: A, title: T, status: done}\n---\n' }],
  ['flow map over several lines', '---\n{\n  id: A,\n  status: open,\n  title: T\n}\n---\n', { done: true, after: '---\n{\n  id: A,\n  status: done,\n  title: T\n}\n---\n' }],
  ['flow map without status', '---\n{id: A, title: T}\n---\n', { done: true, after: '---\n{id: A, title: T, status: done}\n---\n' }],
  ['flow map with a trailing comma, without status', '---\n{id: A, title: T,}\n---\n', { done: true, after: '---\n{id: A, title: T, status: done}\n---\n' }],
  ['folded value', '---\nid: A\nstatus: >-\n  open\ntitle: T\n---\n', { done: true, after: '---\nid: A\nstatus: >-\n  done\ntitle: T\n---\n' }],
  ['value indented on the next line', '---\nid: A\nstatus:\n    open\ntitle: T\n---\n', { done: true }],
  ['explicit key', '---\nid: A\n? status\n: open\ntitle: T\n---\n', { done: true, after: '---\nid: A\n? status\n: done\ntitle: T\n---\n' }],
  ['anchored value', '---\nid: A\ntitle: T\nstatus: &state open\n---\n', { done: true, after: '---\nid: A\ntitle: T\nstatus: &state done\n---\n' }],
  ['status is an alias of another field', '---\nid: A\ntitle: T\nx-initial: &open open\nstatus: *open\n---\n', { done: true, after: '---\nid: A\ntitle: T\nx-initial: &open open\nstatus: done\n---\n' }],
  ['anchored status used by another field', '---\nid: A\ntitle: T\nstatus: &s open\nlabels: [*s]\n---\n', { untouched: /setting status would also change labels/ }],
  ['tagged value', '---\nid: A\ntitle: T\nstatus: !!str open\n---\n', { done: true, after: '---\nid: A\ntitle: T\nstatus: !!str done\n---\n' }],
  ['tagged key', '---\nid: A\ntitle: T\n!!str status: open\n---\n', { done: true, after: '---\nid: A\ntitle: T\n!!str status: done\n---\n' }],
  ['closed with the document end marker', '---\nid: A\ntitle: T\nstatus: open\n...\n---\nmore body\n---\n', { done: true, after: '---\nid: A\ntitle: T\nstatus: done\n...\n---\nmore body\n---\n' }],
  ['markers with trailing blanks', '--- \t\nid: A\ntitle: T\n---  \nbody', { done: true, after: '--- \t\nid: A\ntitle: T\nstatus: done\n---  \nbody' }],
  ['tabs', '---\nid: A\ntitle: "a\tb"\nstatus:\topen\n---\n', { done: true, after: '---\nid: A\ntitle: "a\tb"\nstatus:\tdone\n---\n' }],
  ['trailing spaces', '---\nid: A   \ntitle: T  \nstatus: open   \n---\n', { done: true, after: '---\nid: A   \ntitle: T  \nstatus: done   \n---\n' }],
  ['status missing', '---\nid: A\ntitle: T\nlabels:\n  - x\n---\n', { done: true, after: '---\nid: A\ntitle: T\nlabels:\n  - x\nstatus: done\n---\n' }],
  ['status only in a nested map', '---\nid: A\ntitle: T\nx-meta:\n  status: open\n---\n', { done: true, after: '---\nid: A\ntitle: T\nx-meta:\n  status: open\nstatus: done\n---\n' }],
  ['a whole front matter indented', '---\n  id: A\n  title: T\n---\n', { done: true, after: '---\n  id: A\n  title: T\n  status: done\n---\n' }],
  ['a longer value (in-progress)', '---\nid: A\nstatus: in-progress\ntitle: T\n---\n', { done: true, after: '---\nid: A\nstatus: done\ntitle: T\n---\n' }],
  ['already done', '---\nid: A\ntitle: T\nstatus: done # finished\n---\n', { done: true, after: '---\nid: A\ntitle: T\nstatus: done # finished\n---\n' }],
  ['a lone CR as a line break', '---\nid: A\rstatus: open\ntitle: T\n---\n', { untouched: /cannot be edited safely/ }],
  ['a keep-chomped block scalar last', '---\nid: A\ntitle: T\nx-notes: |+\n  keep\n\n---\n', { done: true }],
  ['a body with no line break at the end', '---\nid: A\ntitle: T\nstatus: open\n---\nno newline', { done: true, after: '---\nid: A\ntitle: T\nstatus: done\n---\nno newline' }],
  ['unicode everywhere', '---\nid: A\ntitle: "Ünïcödé ✓ עברית"\nstatus: open # ✓\n---\nΣ\n', { done: true, after: '---\nid: A\ntitle: "Ünïcödé ✓ עברית"\nstatus: done # ✓\n---\nΣ\n' }],
  ['flow map with a comment after it', '---\n{id: A, title: T, status: open} # one line\n---\n', { done: true, after: '---\n{id: A, title: T, status: done} # one line\n---\n' }],
];

/** What a ticket means, without where its positions are. */
const meaning = (t: Ticket) => ({ ...t, positions: undefined, status: undefined });

describe('odd but valid ticket files: accept sets status: done or leaves the file alone and says why', () => {
  it(`has at least 25 cases, each a valid ticket to begin with (${CASES.length})`, () => {
    assert.ok(CASES.length >= 25);
    for (const [name, text] of CASES) assert.ok(parseTicket('/t/A.md', text).ticket, `${name}: ${JSON.stringify(parseTicket('/t/A.md', text).problems)}`);
  });

  for (const [name, text, expected] of CASES) {
    it(name, async () => {
      const before = parseTicket('/t/A.md', text);
      const next = withTicketStatus(text, 'done');
      if ('untouched' in expected) {
        assert.equal(typeof next, 'object', `refused: ${JSON.stringify(next)}`);
        assert.match((next as { error: string }).error, expected.untouched);
      } else {
        assert.equal(typeof next, 'string', JSON.stringify(next));
        const after = parseTicket('/t/A.md', next as string);
        assert.ok(after.ticket, JSON.stringify(after.problems));
        assert.equal(after.ticket.status, 'done');
        assert.deepEqual(meaning(after.ticket), meaning(before.ticket!), 'every other field reads the same');
        assert.deepEqual(after.problems, before.problems, 'no new warning');
        const bodyOf = (t: string) => {
          const split = splitFrontMatter(t);
          return split.ok ? split.value.body : null;
        };
        assert.equal(bodyOf(next as string), bodyOf(text), 'the body is byte-identical');
        if (expected.after !== undefined) assert.equal(next, expected.after);
      }

      // The same through the file: written when the edit is safe, byte-for-byte untouched otherwise.
      const dir = mkdtempSync(join(tmpdir(), 'flotilla-odd-'));
      try {
        const file = join(dir, 'A.md');
        writeFileSync(file, text);
        if ('untouched' in expected) {
          await assert.rejects(setTicketStatus(file, 'done'), (error: unknown) => TicketFileFormatError.is(error) && expected.untouched.test(error.message) && /its status was not changed/.test(error.message));
          assert.equal(readFileSync(file, 'utf8'), text);
        } else {
          await setTicketStatus(file, 'done');
          assert.equal(readFileSync(file, 'utf8'), next);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
