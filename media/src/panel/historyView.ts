import type { HistoryBatch, OutcomeCell, PanelHistory } from '../../../src/core/panel/panelSnapshot';
import { h, replaceChildren } from './dom';
import { formatUsd } from '../../../src/core/vocabulary/amounts';
import { batchStateLabel } from '../../../src/core/vocabulary/batchStates';
import { dateTime, pct } from './format';

const BATCH_COLUMNS = ['Batch', 'Started', 'Status', 'Mode', 'Done', 'Accepted', 'Cost', 'Per accepted', 'Cache-read share', 'Model mix'];
const TIERS = ['fast', 'balanced', 'strong'];
const CLASSES = ['mechanical', 'standard', 'complex'];

/** Past batches side by side, and the per-(class, tier) table the router learns from. */
export class HistoryView {
  readonly element = h('div', { className: 'history' });

  render(history: PanelHistory): void {
    replaceChildren(this.element, [
      h('section', { className: 'section', attrs: { 'aria-labelledby': 'h-batches' } }, [
        h('h2', { text: 'Past batches', attrs: { id: 'h-batches' } }),
        history.batches.length === 0 ? h('p', { className: 'empty', text: 'No batches yet: each batch that runs in this workspace is listed here.' }) : batchesTable(history.batches),
      ]),
      h('section', { className: 'section', attrs: { 'aria-labelledby': 'h-outcomes' } }, [
        h('h2', { text: 'What the router has learned', attrs: { id: 'h-outcomes' } }),
        h('p', {
          className: 'muted',
          text: `First-pass success per ticket class and tier, with the number of tries. The router starts a class on the cheapest tier whose 95% lower bound reaches ${pct(history.threshold)} once it has ${history.minSamples} tries.`,
        }),
        outcomesTable(history.outcomes, history.minSamples, history.threshold),
      ]),
      history.problems.length > 0
        ? h('section', { className: 'section problems' }, [h('h2', { text: 'Skipped while reading storage' }), h('ul', {}, history.problems.map((p) => h('li', { text: p })))])
        : null,
    ]);
  }
}

function batchesTable(batches: readonly HistoryBatch[]): HTMLElement {
  const rows = batches.map((b) =>
    h('tr', { attrs: { 'data-batch': b.id } }, [
      h('th', { text: b.id, attrs: { scope: 'row' } }),
      h('td', { text: dateTime(b.createdAt) }),
      h('td', {}, [h('span', { className: `badge state-${b.status}`, text: batchStateLabel(b.status) })]),
      h('td', { text: b.mode }),
      h('td', { className: 'num', text: `${b.done} of ${b.tickets}` }),
      h('td', { className: 'num', text: String(b.accepted) }),
      h('td', { className: 'num', text: formatUsd(b.costUsd) }),
      h('td', { className: 'num', text: b.costPerAcceptedUsd === null ? '–' : formatUsd(b.costPerAcceptedUsd) }),
      h('td', { className: 'num', text: pct(b.cacheReadShare) }),
      h('td', { className: 'mix' }, [mixBar(b), h('div', { className: 'muted', text: b.modelMix.map((m) => `${m.model} ${pct(m.share)}`).join(' · ') || '–' })]),
    ]),
  );
  return h('div', { className: 'table-wrap' }, [
    h('table', { className: 'batches', attrs: { 'aria-label': 'Past batches' } }, [h('thead', {}, [h('tr', {}, BATCH_COLUMNS.map((c) => h('th', { text: c, attrs: { scope: 'col' } })))]), h('tbody', {}, rows)]),
  ]);
}

/** A bar per batch split by each model's share of the cost (widths set through CSSOM: the CSP allows no inline style attribute). */
function mixBar(batch: HistoryBatch): HTMLElement {
  const bar = h('div', { className: 'mix-bar', attrs: { 'aria-hidden': 'true' } });
  batch.modelMix.forEach((m) => {
    // Coloured like the timeline: by the tier the model ran for.
    const part = h('span', { className: `mix-part tier-${m.tier ?? 'model'}`, title: `${m.model}: ${formatUsd(m.costUsd)}` });
    part.style.width = `${(m.share * 100).toFixed(2)}%`;
    bar.appendChild(part);
  });
  return bar;
}

function outcomesTable(cells: readonly OutcomeCell[], minSamples: number, threshold: number): HTMLElement {
  const cellOf = (cls: string, tier: string) => cells.find((c) => c.complexityClass === cls && c.tier === tier);
  const body = CLASSES.map((cls) =>
    h('tr', {}, [
      h('th', { text: cls, attrs: { scope: 'row' } }),
      ...TIERS.map((tier) => {
        const c = cellOf(cls, tier);
        if (!c || c.attempts === 0) return h('td', { className: 'outcome none', text: 'no tries yet', attrs: { 'data-cell': `${cls}/${tier}` } });
        const verdict = c.trusted ? 'trusted by the router' : c.attempts < minSamples ? `needs ${minSamples} tries` : `below ${pct(threshold)}`;
        return h('td', { className: `outcome ${c.trusted ? 'trusted' : 'untrusted'}`, attrs: { 'data-cell': `${cls}/${tier}` } }, [
          h('div', { text: `${c.successes} of ${c.attempts} first pass (${pct(c.successRate)})` }),
          h('div', { className: 'muted', text: `lower bound ${pct(c.lowerBound)} · ${c.avgFixLoops?.toFixed(1) ?? '–'} fix loops · ${formatUsd(c.avgCostUsd)} each` }),
          h('div', { className: 'verdict', text: verdict }),
        ]);
      }),
    ]),
  );
  return h('div', { className: 'table-wrap' }, [
    h('table', { className: 'outcomes', attrs: { 'aria-label': 'First-pass success by class and tier' } }, [
      h('thead', {}, [h('tr', {}, [h('th', { text: 'Class', attrs: { scope: 'col' } }), ...TIERS.map((t) => h('th', { text: t, attrs: { scope: 'col' } }))])]),
      h('tbody', {}, body),
    ]),
  ]);
}
