import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTickets } from '../../../src/core/tickets/loadTickets';
import { problemSummaryText, summarizeTicketProblems } from '../../../src/core/tickets/problemSummary';

describe('the Tickets view\'s sentence about ticket problems', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-problem-summary-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);

  it('calls only the files left out "not listed"; a listed ticket with an unknown dependency is named as listed with problems', async () => {
    write('A1.md', '---\nid: A1\ntitle: Listed, depends on nothing that exists\ndependsOn: [NOPE]\n---\n');
    write('A2.md', '---\nid: A2\ntitle: Fine\n---\n');
    write('bad.md', '---\nid: A3\ntitle: "never closed\n---\n');
    const set = await loadTickets(dir);
    assert.deepEqual(set.tickets.map((t) => t.id), ['A1', 'A2']);
    const summary = summarizeTicketProblems(set);
    assert.deepEqual(summary, { unlistedFiles: 1, listedWithErrors: ['A1'] });
    assert.equal(problemSummaryText(summary), '1 ticket file has errors and is not listed; A1 has problems to fix — see the Problems panel.');
  });

  it('says nothing about "not listed" when every ticket with an error is listed (a dependency cycle)', async () => {
    write('B1.md', '---\nid: B1\ntitle: One\ndependsOn: [B2]\n---\n');
    write('B2.md', '---\nid: B2\ntitle: Two\ndependsOn: [B1]\n---\n');
    const text = problemSummaryText(summarizeTicketProblems(await loadTickets(dir)));
    assert.equal(text, 'B1, B2 have problems to fix — see the Problems panel.');
    assert.doesNotMatch(text ?? '', /not listed/);
  });

  it('counts a repeated id as a file left out, warnings not at all', async () => {
    write('C1.md', '---\nid: C1\ntitle: First\n---\n');
    write('C1-copy.md', '---\nid: C1\ntitle: Second\nowner: someone\n---\n');
    write('C2.md', '---\nid: C2\ntitle: Has an unknown field only\nowner: someone\n---\n');
    const summary = summarizeTicketProblems(await loadTickets(dir));
    assert.deepEqual(summary, { unlistedFiles: 1, listedWithErrors: [] });
    assert.equal(problemSummaryText({ unlistedFiles: 0, listedWithErrors: [] }), undefined);
  });
});
