import type { BatchHeader } from '../../../src/core/panel/panelSnapshot';
import { button, h, replaceChildren } from './dom';
import { formatUsd } from '../../../src/core/vocabulary/amounts';
import { batchStateLabel } from '../../../src/core/vocabulary/batchStates';
import { duration, plural } from './format';

type Basis = 'measured' | 'estimate' | 'setting';

/** One figure of the header, with what kind of number it is. */
function figure(label: string, value: string, basis: Basis, detail?: string, id?: string): HTMLElement {
  return h('div', { className: 'figure', attrs: id ? { 'data-figure': id } : {} }, [
    h('dt', {}, [h('span', { text: label }), h('span', { className: `basis basis-${basis}`, text: basis })]),
    h('dd', {}, [h('span', { className: 'value', text: value }), detail ? h('span', { className: 'figure-detail', text: detail }) : null]),
  ]);
}

/**
 * The current batch at a glance: state, elapsed time, mode and why, simulated or not, spend so far
 * against the estimates, and the budget left this month.
 */
export class HeaderView {
  readonly element = h('header', { className: 'batch-header', attrs: { 'aria-label': 'Batch' } });
  private elapsed: HTMLElement | null = null;

  constructor(private readonly showReport: (batchId: string) => void) {}

  render(header: BatchHeader): void {
    this.elapsed = h('span', { className: 'elapsed', text: duration(header.elapsedMs), title: 'elapsed' });
    const title = h('div', { className: 'title-line' }, [
      h('h1', { text: `Batch ${header.batchId}` }),
      h('span', { className: `badge state-${header.state}`, text: batchStateLabel(header.state), attrs: { 'data-state': header.state } }),
      header.simulated ? h('span', { className: 'badge simulated', text: 'simulated — nothing billed' }) : null,
      header.live ? h('span', { className: 'badge live', text: 'live' }) : null,
      this.elapsed,
      h('span', { className: 'spacer' }),
      button('Open Report', () => this.showReport(header.batchId), { className: 'secondary', attrs: { 'aria-label': `Open Report of batch ${header.batchId}` } }),
    ]);
    const c = header.counts;
    const counts = [
      `${c.done} of ${c.total} done`,
      c.awaitingReview > 0 ? `${c.awaitingReview} awaiting review` : '',
      c.accepted > 0 ? `${c.accepted} accepted` : '',
      c.rejected > 0 ? `${c.rejected} rejected` : '',
      c.active > 0 ? `${c.active} queued or running` : '',
      c.failed > 0 ? `${c.failed} failed` : '',
      c.other > 0 ? `${c.other} cancelled or interrupted` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    const est = header.estimate;
    const budget = header.budget;
    const figures = h('dl', { className: 'figures' }, [
      figure(header.live ? 'Spent so far' : 'Spent', formatUsd(header.spentUsd), 'measured', `${header.tokens.toLocaleString('en-US')} tokens`, 'spent'),
      est
        ? figure(
            'Pre-batch estimate',
            `at most ${formatUsd(est.capUsd)}`,
            'estimate',
            `the per-run caps; overheads ${formatUsd(est.overheadOrchestratedUsd)} orchestrated vs ${formatUsd(est.overheadSingleAgentUsd)} single-agent`,
            'estimate',
          )
        : null,
      figure('Single-agent estimate', formatUsd(header.singleAgentUsd), 'estimate', 'the same tickets, one lone agent each', 'single-agent'),
      budget.monthlyLimitUsd === null
        ? figure('Budget left this month', 'no monthly limit', 'setting', budget.monthSpentUsd === null ? undefined : `${formatUsd(budget.monthSpentUsd)} spent this month`, 'budget')
        : figure('Budget left this month', formatUsd(budget.leftUsd), 'measured', `of ${formatUsd(budget.monthlyLimitUsd)}; ${formatUsd(budget.monthSpentUsd)} spent`, 'budget'),
    ]);
    replaceChildren(this.element, [
      title,
      h('p', { className: 'mode', text: header.modeSentence }),
      header.planning ? h('p', { className: 'planning muted', text: header.planning }) : null,
      header.stopReason ? h('p', { className: 'stop-reason', text: header.stopReason, attrs: { role: 'alert' } }) : null,
      h('p', { className: 'counts', text: `${plural(c.total, 'ticket')}: ${counts}`, attrs: { 'data-counts': '' } }),
      figures,
    ]);
  }

  /** The elapsed time between messages while the batch runs. */
  tick(elapsedMs: number): void {
    if (this.elapsed) this.elapsed.textContent = duration(elapsedMs);
  }
}
