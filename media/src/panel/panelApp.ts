import { parseHostMessage, type UpdateMessage } from '../../../src/core/panel/panelProtocol';
import type { CurrentBatch, PanelSnapshot } from '../../../src/core/panel/panelSnapshot';
import { h } from './dom';
import { HeaderView } from './headerView';
import { HistoryView } from './historyView';
import type { HostLink } from './hostLink';
import { SavingsView } from './savingsView';
import { Tabs } from './tabs';
import { TicketTable } from './ticketTable';
import { TimelineView } from './timelineView';

/** A view that missed a revision asks for everything again, but not in a loop if the host keeps erring. */
const RESYNC_PAUSE_MS = 2000;

/**
 * The panel's view: applies the host's snapshot and updates (each parsed with the protocol's zod
 * schemas first) to the sections, and acknowledges each revision. An invalid message is rejected
 * with a notice; what is on screen stays as it was.
 */
export class PanelApp {
  private snapshot: PanelSnapshot | null = null;
  private rev: number | null = null;
  private lastResync = Number.NEGATIVE_INFINITY;
  private ticker: number | undefined;
  private receivedAt = performance.now();
  private readonly notice = h('p', { className: 'notice', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly empty = h('p', { className: 'empty', text: 'No batch has run in this workspace yet. Tick tickets in the Tickets view and run a batch; it shows here as it runs.' });
  private readonly header: HeaderView;
  private readonly table: TicketTable;
  private readonly timeline = new TimelineView();
  private readonly savings = new SavingsView();
  private readonly history = new HistoryView();
  private readonly currentPanel: HTMLElement;

  constructor(root: HTMLElement, private readonly link: HostLink) {
    this.header = new HeaderView((batchId) => link.post({ type: 'showReport', batchId }));
    this.table = new TicketTable(link);
    this.currentPanel = h('div', { className: 'current' }, [
      this.empty,
      this.header.element,
      section('Tickets', this.table.element),
      section('Timeline', this.timeline.element),
      section('Savings', this.savings.element),
    ]);
    const tabs = new Tabs(
      [
        { id: 'current', label: 'Current batch', content: this.currentPanel },
        { id: 'history', label: 'History', content: this.history.element },
      ],
      link.viewState.tab ?? 'current',
      (tab) => link.saveState({ tab }),
    );
    root.replaceChildren(this.notice, tabs.element);
    this.showCurrent(null);
  }

  receive(data: unknown): void {
    const parsed = parseHostMessage(data);
    if (!parsed.ok) {
      this.reject(`Ignored a malformed message from Flotilla (${parsed.error}).`);
      return;
    }
    const message = parsed.message;
    if (message.type === 'snapshot') {
      this.snapshot = message.snapshot;
      this.showCurrent(message.snapshot.current);
      this.history.render(message.snapshot.history);
    } else {
      if (this.snapshot === null || this.rev !== message.baseRev) {
        this.reject(`Missed an update (have ${this.rev ?? 'none'}, update is for ${message.baseRev}); asking for everything again.`);
        return;
      }
      this.applyUpdate(this.snapshot, message);
    }
    this.rev = message.rev;
    this.notice.textContent = '';
    this.receivedAt = performance.now();
    this.link.post({ type: 'applied', rev: message.rev });
  }

  private applyUpdate(snapshot: PanelSnapshot, update: UpdateMessage): void {
    const current = snapshot.current;
    if (current) {
      for (const row of update.rows) {
        const at = current.rows.findIndex((r) => r.id === row.id);
        if (at >= 0) current.rows[at] = row;
        else current.rows.push(row);
        this.table.upsert(row, current.header.batchId);
      }
      for (const lane of update.lanes) {
        const at = current.lanes.findIndex((l) => l.ticketId === lane.ticketId);
        if (at >= 0) current.lanes[at] = lane;
        else current.lanes.push(lane);
      }
      if (update.header) current.header = update.header;
      if (update.timeline) current.timeline = update.timeline;
      if (update.savings) current.savings = update.savings;
      if (update.header) this.header.render(current.header);
      this.timeline.update(current.timeline, update.lanes, current.lanes);
      if (update.savings) this.savings.render(current.savings);
      this.tick(current);
    }
    if (update.history) {
      snapshot.history = update.history;
      this.history.render(update.history);
    }
  }

  private showCurrent(current: CurrentBatch | null): void {
    this.empty.hidden = current !== null;
    for (const child of Array.from(this.currentPanel.children)) if (child !== this.empty) (child as HTMLElement).hidden = current === null;
    if (current) {
      this.header.render(current.header);
      this.table.render(current.rows, current.header.batchId);
      this.timeline.render(current.timeline, current.lanes);
      this.savings.render(current.savings);
    }
    this.tick(current);
  }

  /** While a batch runs, the clock and the open timeline segments move on between messages. */
  private tick(current: CurrentBatch | null): void {
    const live = current?.header.live === true;
    if (live && this.ticker === undefined) {
      this.ticker = window.setInterval(() => {
        const now = this.snapshot?.current;
        if (!now?.header.live) return;
        const elapsed = performance.now() - this.receivedAt;
        this.header.tick(now.header.elapsedMs + elapsed);
        this.timeline.tick(now.timeline.nowMs + elapsed);
      }, 1000);
    } else if (!live && this.ticker !== undefined) {
      window.clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  private reject(reason: string): void {
    this.notice.textContent = reason;
    const now = performance.now();
    if (now - this.lastResync < RESYNC_PAUSE_MS) return;
    this.lastResync = now;
    this.link.post({ type: 'resync', reason: reason.slice(0, 500) });
  }
}

function section(title: string, body: HTMLElement): HTMLElement {
  const id = `section-${title.toLowerCase()}`;
  return h('section', { className: `section ${id}`, attrs: { 'aria-labelledby': id } }, [h('h2', { text: title, attrs: { id } }), body]);
}
