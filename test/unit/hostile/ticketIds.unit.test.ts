import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ticketBranchName } from '../../../src/core/git/branchNames';
import { InvalidBranchNameError } from '../../../src/core/git/gitErrors';
import { parseTicket } from '../../../src/core/tickets/parseTicket';
import { ticketIdProblem } from '../../../src/core/tickets/ticketSchema';
import { cli, tempDir } from '../cli/cliHarness';

/** Ids the character class allows but git cannot use as a branch component (issue 11, item 1). */
const HOSTILE_IDS: readonly (readonly [string, RegExp])[] = [
  ['.', /may not start with "\." or "-"/],
  ['..', /may not start with "\." or "-"/],
  ['--help', /may not start with "\." or "-"/],
  ['-x', /may not start with "\." or "-"/],
  ['X.lock', /may not end with "\." or "\.lock"/],
  ['R1.', /may not end with "\." or "\.lock"/],
  ['a..b', /may not contain "\.\."/],
  ['R'.repeat(300), /at most 100 characters \(this one has 300\)/],
];

const ticketText = (id: string) => `---\ntitle: A hostile id\nid: "${id}"\n---\nBody.\n`;

describe('hostile ticket ids: one rule for ticket ids and branch names', () => {
  it('every id the ticket rule accepts is a valid branch component, and every refused one gets a reason', () => {
    for (const [id, reason] of HOSTILE_IDS) {
      assert.match(ticketIdProblem(id) ?? 'accepted', reason, id.slice(0, 20));
      assert.throws(() => ticketBranchName('b1', id), InvalidBranchNameError, id.slice(0, 20));
    }
    for (const id of ['R03', '42', 'a.b', 'fix_1-2', 'R'.repeat(100)]) {
      assert.equal(ticketIdProblem(id), undefined, id);
      assert.doesNotThrow(() => ticketBranchName('b1', id));
    }
  });

  it('parseTicket reports each at the line of id:, with the reason', () => {
    for (const [id, reason] of HOSTILE_IDS) {
      const parsed = parseTicket('/t/x.md', ticketText(id));
      assert.equal(parsed.ticket, undefined, id.slice(0, 20));
      const problem = parsed.problems.find((p) => p.severity === 'error');
      assert.equal(problem?.line, 3, JSON.stringify(parsed.problems));
      assert.match(problem?.message ?? '', reason);
      assert.match(problem?.message ?? '', /^id: /);
    }
  });

  it('tickets validate exits 2 and names file:line of id: for each hostile id', async () => {
    const repo = tempDir('hostile-ids');
    const folder = join(repo, '.flotilla/tickets');
    mkdirSync(folder, { recursive: true });
    HOSTILE_IDS.forEach(([id], n) => writeFileSync(join(folder, `h${n}.md`), ticketText(id)));
    writeFileSync(join(folder, 'ok.md'), ticketText('OK1'));
    const r = await cli('tickets', 'validate', '--repo', repo);
    assert.equal(r.code, 2);
    HOSTILE_IDS.forEach(([, reason], n) => {
      const line = r.err.find((l) => l.includes(`h${n}.md:3:`));
      assert.ok(line, `h${n}.md: ${r.err.join('\n')}`);
      assert.match(line, /:3:\d+: error: id: /);
      assert.match(line, reason);
    });
    assert.match(r.out.join('\n'), /^1 valid ticket in .*; 8 errors, 0 warnings$/);
  });
});
