import type { TicketRow } from '../../../src/core/panel/panelSnapshot';
import { h } from './dom';
import type { HostLink } from './hostLink';
import { COLUMNS, ticketDetails, ticketRowCells } from './ticketRowView';

interface RowEntry {
  data: TicketRow;
  readonly row: HTMLElement;
  details: HTMLElement | null;
}

/**
 * One row per ticket, keyed by id: an update rebuilds only the rows it carries. The rows are CSS grid
 * rows with ARIA table roles rather than a <table>: a browser lays a table out as a whole, so one
 * changed cell in a 200-row table cost a frame and more; a grid row is laid out on its own (and not at
 * all while scrolled out of view). Up/Down move the focus to the same control in the next or previous row.
 */
export class TicketTable {
  readonly element: HTMLElement;
  private readonly body = h('div', { className: 'tbody', attrs: { role: 'rowgroup' } });
  private readonly rows = new Map<string, RowEntry>();
  private readonly expanded: Set<string>;
  private batchId = '';

  constructor(private readonly link: HostLink) {
    this.expanded = new Set(link.viewState.expanded ?? []);
    const head = h('div', { className: 'thead', attrs: { role: 'rowgroup' } }, [
      h('div', { className: 'row head', attrs: { role: 'row' } }, COLUMNS.map((c) => h('div', { className: 'cell', text: c, attrs: { role: 'columnheader' } }))),
    ]);
    this.element = h('div', { className: 'table-wrap' }, [h('div', { className: 'tickets', attrs: { role: 'table', 'aria-label': 'Tickets of this batch' } }, [head, this.body])]);
    this.body.addEventListener('keydown', (event) => this.onKey(event));
  }

  render(rows: readonly TicketRow[], batchId: string): void {
    this.batchId = batchId;
    this.rows.clear();
    this.body.replaceChildren();
    for (const row of rows) this.insert(row);
  }

  upsert(row: TicketRow, batchId: string): void {
    this.batchId = batchId;
    const entry = this.rows.get(row.id);
    if (!entry) {
      this.insert(row);
      return;
    }
    entry.data = row;
    this.fill(entry);
  }

  private insert(row: TicketRow): void {
    const element = h('div', { className: 'row ticket', attrs: { role: 'row', 'data-id': row.id } });
    const entry: RowEntry = { data: row, row: element, details: null };
    this.rows.set(row.id, entry);
    this.body.appendChild(element);
    this.fill(entry);
  }

  private fill(entry: RowEntry): void {
    const id = entry.data.id;
    const open = this.expanded.has(id);
    // A live update must not take the keyboard focus away from the control a person is on.
    const focused = document.activeElement instanceof HTMLElement && entry.row.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    entry.row.className = `row ticket state-row-${entry.data.state}`;
    entry.row.replaceChildren(...ticketRowCells(entry.data, this.batchId, this.link, open, () => this.toggle(id)));
    if (focused !== undefined) {
      const again = Array.from(entry.row.querySelectorAll<HTMLElement>('[data-key]')).find((e) => e.dataset.key === focused) ?? entry.row.querySelector<HTMLElement>('[data-key="open"]');
      again?.focus();
    }
    if (open) {
      const details = entry.details ?? h('div', { className: 'row details', attrs: { role: 'row', id: `details-${id}` } });
      details.replaceChildren(h('div', { className: 'cell', attrs: { role: 'cell' } }, [ticketDetails(entry.data)]));
      if (!entry.details) entry.row.after(details);
      entry.details = details;
    } else if (entry.details) {
      entry.details.remove();
      entry.details = null;
    }
  }

  private toggle(id: string): void {
    if (this.expanded.has(id)) this.expanded.delete(id);
    else this.expanded.add(id);
    this.link.saveState({ expanded: [...this.expanded] });
    const entry = this.rows.get(id);
    if (entry) this.fill(entry);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const target = event.target as HTMLElement;
    const row = target.closest('.row.ticket');
    if (!row) return;
    const controls = (r: Element) => Array.from(r.querySelectorAll<HTMLElement>('button'));
    const index = controls(row).indexOf(target);
    const rows = Array.from(this.body.querySelectorAll('.row.ticket'));
    const next = rows[rows.indexOf(row) + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next || index < 0) return;
    const candidates = controls(next);
    const same = candidates[Math.min(index, candidates.length - 1)];
    if (!same) return;
    event.preventDefault();
    same.focus();
  }
}
