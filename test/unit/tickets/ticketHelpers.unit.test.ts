import assert from 'node:assert/strict';
import { groupByStatus } from '../../../src/core/tickets/groupByStatus';
import { newTicketIdProblem, renderNewTicket } from '../../../src/core/tickets/newTicketFile';
import { parseTicket } from '../../../src/core/tickets/parseTicket';
import { TicketSelection } from '../../../src/core/tickets/ticketSelection';

describe('new ticket file', () => {
  it('renders a file that parses without problems', () => {
    const { ticket, problems } = parseTicket('/t/R07.md', renderNewTicket('R07', 'Title: with a colon and "quotes"'));
    assert.deepEqual(problems, []);
    assert.equal(ticket?.id, 'R07');
    assert.equal(ticket?.title, 'Title: with a colon and "quotes"');
  });

  it('explains why an id cannot be used', () => {
    assert.match(newTicketIdProblem('', new Set()) ?? '', /Enter an id/);
    assert.match(newTicketIdProblem('a b', new Set()) ?? '', /letters, digits/);
    assert.match(newTicketIdProblem('R1', new Set(['R1'])) ?? '', /already exists/);
    assert.equal(newTicketIdProblem('R1', new Set(['R2'])), undefined);
    assert.throws(() => renderNewTicket('../x', 't'), RangeError);
  });
});

describe('groupByStatus', () => {
  it('groups in workflow order, skips empty groups, sorts by priority then id', () => {
    const t = (id: string, status: string, priority?: number) =>
      parseTicket(`/t/${id}.md`, `---\nid: ${id}\ntitle: x\nstatus: ${status}\n${priority ? `priority: ${priority}\n` : ''}---\n`).ticket!;
    const groups = groupByStatus([t('R10', 'open'), t('R2', 'open'), t('R3', 'done'), t('R4', 'open', 1)]);
    assert.deepEqual(
      groups.map((g) => [g.status, g.tickets.map((x) => x.id)]),
      [
        ['open', ['R4', 'R2', 'R10']],
        ['done', ['R3']],
      ],
    );
  });
});

describe('TicketSelection', () => {
  it('reports whether anything changed and keeps ids of tickets that vanish', () => {
    const selection = new TicketSelection(['R1']);
    assert.equal(selection.set(['R1'], true), false);
    assert.equal(selection.set(['R2', 'R3'], true), true);
    assert.deepEqual(selection.among(['R3', 'R1']), ['R3', 'R1']);
    assert.deepEqual(selection.toArray(), ['R1', 'R2', 'R3']);
    assert.equal(selection.set(['R2'], false), true);
    assert.equal(selection.clear(), true);
    assert.equal(selection.clear(), false);
  });
});
