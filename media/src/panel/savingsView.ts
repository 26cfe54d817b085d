import type { SavingsItem } from '../../../src/core/panel/panelSnapshot';
import { h, replaceChildren } from './dom';
import { formatUsd } from '../../../src/core/vocabulary/amounts';

/** Routing, prompt caching and batching: what each saved, against what, and how that was worked out. */
export class SavingsView {
  readonly element = h('div', { className: 'savings' });

  render(items: readonly SavingsItem[]): void {
    replaceChildren(
      this.element,
      items.map((item) => {
        const saved = item.savedUsd === null ? 'unknown' : item.savedUsd >= 0 ? `saved ${formatUsd(item.savedUsd)}` : `cost ${formatUsd(-item.savedUsd)} more`;
        const pct = item.savedPct === null ? '' : ` (${item.savedPct >= 0 ? '' : '−'}${Math.abs(item.savedPct).toFixed(1)}%)`;
        return h('article', { className: `card savings-${item.kind}`, attrs: { 'data-savings': item.kind } }, [
          h('h3', {}, [h('span', { text: item.label }), h('span', { className: `basis basis-${item.basis}`, text: item.basis })]),
          h('p', { className: 'saved', text: `${saved}${pct}` }),
          h('p', { className: 'compare', text: `${formatUsd(item.actualUsd)} spent vs ${formatUsd(item.baselineUsd)}` }),
          h('p', { className: 'muted how', text: item.how }),
        ]);
      }),
    );
  }
}
