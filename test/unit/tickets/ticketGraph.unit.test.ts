import assert from 'node:assert/strict';
import { parseTicket } from '../../../src/core/tickets/parseTicket';
import { checkTicketGraph, compareIds } from '../../../src/core/tickets/ticketGraph';
import type { Ticket } from '../../../src/core/tickets/ticketSchema';

function ticket(id: string, dependsOn: string[] = [], file = `/t/${id}.md`): Ticket {
  const deps = dependsOn.length ? `dependsOn:\n${dependsOn.map((d) => `  - ${d}`).join('\n')}\n` : '';
  const parsed = parseTicket(file, `---\nid: ${id}\ntitle: Ticket ${id}\n${deps}---\n`).ticket;
  assert.ok(parsed);
  return parsed;
}

describe('checkTicketGraph', () => {
  it('accepts a valid DAG without problems', () => {
    const result = checkTicketGraph([ticket('R01'), ticket('R02', ['R01']), ticket('R03', ['R01', 'R02'])]);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.cycles, []);
    assert.equal(result.tickets.length, 3);
  });

  it('keeps the first of two tickets with the same id and reports the second at its id line', () => {
    const result = checkTicketGraph([ticket('R01', [], '/t/a.md'), ticket('R01', [], '/t/b.md'), ticket('R02')]);
    assert.deepEqual(result.tickets.map((t) => t.file), ['/t/a.md', '/t/R02.md']);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.file, '/t/b.md');
    assert.equal(result.problems[0]?.line, 2);
    assert.match(result.problems[0]?.message ?? '', /duplicate id "R01": already used by \/t\/a\.md:2/);
  });

  it('reports an unknown dependency at the line of that entry and keeps the ticket', () => {
    const result = checkTicketGraph([ticket('R01'), ticket('R02', ['R01', 'R99'])]);
    assert.equal(result.tickets.length, 2);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.line, 6);
    assert.match(result.problems[0]?.message ?? '', /no ticket has the id "R99"/);
  });

  it('names a cycle in order, once, on every ticket in it', () => {
    const result = checkTicketGraph([ticket('R01'), ticket('R03', ['R06']), ticket('R06', ['R03']), ticket('R07', ['R03'])]);
    assert.deepEqual(result.cycles, [['R03', 'R06', 'R03']]);
    const messages = result.problems.map((p) => `${p.file}: ${p.message}`);
    assert.deepEqual(messages, ['/t/R03.md: dependency cycle: R03 → R06 → R03', '/t/R06.md: dependency cycle: R03 → R06 → R03']);
    assert.equal(result.tickets.length, 4, 'tickets in and around the cycle stay listed');
  });

  it('finds a self-dependency and a longer cycle', () => {
    const result = checkTicketGraph([ticket('A', ['A']), ticket('B', ['C']), ticket('C', ['D']), ticket('D', ['B'])]);
    assert.deepEqual(result.cycles, [
      ['A', 'A'],
      ['B', 'C', 'D', 'B'],
    ]);
  });

  it('handles a 10,000-ticket chain without overflowing the stack', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => ticket(`C${i}`, i > 0 ? [`C${i - 1}`] : []));
    const result = checkTicketGraph(chain);
    assert.deepEqual(result.cycles, []);
  });

  it('orders ids naturally', () => {
    assert.deepEqual(['R10', 'R2', 'R1'].sort(compareIds), ['R1', 'R2', 'R10']);
  });
});
