import { h } from './dom';

export interface TabSpec<T extends string> {
  readonly id: T;
  readonly label: string;
  readonly content: HTMLElement;
}

/**
 * WAI-ARIA tabs: one tab stop for the tab list (roving tabindex), Left/Right/Home/End move between
 * tabs and select them, the panels are labelled by their tabs.
 */
export class Tabs<T extends string> {
  readonly element: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];

  constructor(
    private readonly specs: readonly TabSpec<T>[],
    selected: T,
    private readonly onSelect: (id: T) => void,
  ) {
    const list = h('div', { className: 'tablist', attrs: { role: 'tablist', 'aria-label': 'Flotilla panel' } });
    const panels = specs.map((spec) => {
      const tab = h('button', { className: 'tab', text: spec.label, attrs: { type: 'button', role: 'tab', id: `tab-${spec.id}`, 'aria-controls': `panel-${spec.id}` } });
      tab.addEventListener('click', () => this.select(spec.id, false));
      tab.addEventListener('keydown', (event) => this.onKey(event, spec.id));
      this.buttons.push(tab);
      list.appendChild(tab);
      return h('div', { className: 'tabpanel', attrs: { role: 'tabpanel', id: `panel-${spec.id}`, 'aria-labelledby': `tab-${spec.id}`, tabindex: '-1' } }, [spec.content]);
    });
    this.element = h('div', { className: 'tabs' }, [list, ...panels]);
    this.select(specs.some((s) => s.id === selected) ? selected : (specs[0] as TabSpec<T>).id, false, false);
  }

  select(id: T, focus: boolean, notify = true): void {
    this.specs.forEach((spec, i) => {
      const on = spec.id === id;
      const tab = this.buttons[i] as HTMLButtonElement;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      (this.element.querySelector(`#panel-${spec.id}`) as HTMLElement).hidden = !on;
      if (on && focus) tab.focus();
    });
    if (notify) this.onSelect(id);
  }

  private onKey(event: KeyboardEvent, id: T): void {
    const at = this.specs.findIndex((s) => s.id === id);
    const last = this.specs.length - 1;
    const next = event.key === 'ArrowRight' ? (at + 1) % this.specs.length : event.key === 'ArrowLeft' ? (at + last) % this.specs.length : event.key === 'Home' ? 0 : event.key === 'End' ? last : -1;
    if (next < 0) return;
    event.preventDefault();
    this.select((this.specs[next] as TabSpec<T>).id, true);
  }
}
