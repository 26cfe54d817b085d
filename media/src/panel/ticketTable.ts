import type { TicketRow } from '../../../src/core/panel/panelSnapshot';
import { h } from './dom';
import type { HostLink } from './hostLink';
import { COLUMNS, ticketDetails, ticketRowCells } from './ticketRowView';

interface RowEntry {
  data: TicketRow;
  readonly tr: HTMLTableRowElement;
  details: HTMLTableRowElement | null;
}

/**
 * One row per ticket, keyed by id: an update rebuilds only the rows it carries. Up/Down move the
 * focus to the same control in the next or previous ticket's row.
 */
export class TicketTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly rows = new Map<string, RowEntry>();
  private readonly expanded: Set<string>;
  private batchId = '';

  constructor(private readonly link: HostLink) {
    this.expanded = new Set(link.viewState.expanded ?? []);
    const head = h('thead', {}, [h('tr', {}, COLUMNS.map((c) => h('th', { text: c, attrs: { scope: 'col' } })))]);
    this.element = h('div', { className: 'table-wrap' }, [h('table', { className: 'tickets', attrs: { 'aria-label': 'Tickets of this batch' } }, [head, this.body])]);
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
    const tr = h('tr', { className: 'ticket', attrs: { 'data-id': row.id } });
    const entry: RowEntry = { data: row, tr, details: null };
    this.rows.set(row.id, entry);
    this.body.appendChild(tr);
    this.fill(entry);
  }

  private fill(entry: RowEntry): void {
    const id = entry.data.id;
    const open = this.expanded.has(id);
    // A live update must not take the keyboard focus away from the control a person is on.
    const focused = document.activeElement instanceof HTMLElement && entry.tr.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
    entry.tr.className = `ticket state-row-${entry.data.state}`;
    entry.tr.replaceChildren(...ticketRowCells(entry.data, this.batchId, this.link, open, () => this.toggle(id)));
    if (focused !== undefined) {
      const again = Array.from(entry.tr.querySelectorAll<HTMLElement>('[data-key]')).find((e) => e.dataset.key === focused) ?? entry.tr.querySelector<HTMLElement>('[data-key="open"]');
      again?.focus();
    }
    if (open) {
      const cell = h('td', { attrs: { colspan: String(COLUMNS.length) } }, [ticketDetails(entry.data)]);
      const details = entry.details ?? h('tr', { className: 'details', attrs: { id: `details-${id}` } });
      details.replaceChildren(cell);
      if (!entry.details) entry.tr.after(details);
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
    if (!entry) return;
    this.fill(entry);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const target = event.target as HTMLElement;
    const tr = target.closest('tr.ticket');
    if (!tr) return;
    const controls = (row: Element) => Array.from(row.querySelectorAll<HTMLElement>('button'));
    const index = controls(tr).indexOf(target);
    const rows = Array.from(this.body.querySelectorAll('tr.ticket'));
    const next = rows[rows.indexOf(tr) + (event.key === 'ArrowDown' ? 1 : -1)];
    if (!next || index < 0) return;
    const candidates = controls(next);
    const same = candidates[Math.min(index, candidates.length - 1)];
    if (!same) return;
    event.preventDefault();
    same.focus();
  }
}
