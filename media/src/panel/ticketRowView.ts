import type { TicketAction, TicketRow } from '../../../src/core/panel/panelSnapshot';
import { button, h } from './dom';
import { formatTokens, formatUsd } from '../../../src/core/vocabulary/amounts';
import { LIFECYCLE_LABELS, stoppedWithReason } from '../../../src/core/vocabulary/ticketStates';
import type { HostLink } from './hostLink';

const ACTION_LABELS: Readonly<Record<TicketAction, string>> = {
  review: 'Review',
  accept: 'Accept',
  reject: 'Reject',
  cancel: 'Cancel',
  retry: 'Retry',
  setModel: 'Set Model',
};

const GATE_MARKS: Readonly<Record<string, string>> = { pass: '✓', fail: '✗', timeout: '⏱', cancelled: '–', skipped: '○' };

export const COLUMNS = ['ID', 'Title', 'Class · tier', 'Engine', 'Tier path', 'State', 'Tokens', 'Cost', 'Gates', 'Review', 'Actions'] as const;

/** The cells of one ticket's row (grid cells with table roles); every piece of ticket text goes in as text. */
export function ticketRowCells(row: TicketRow, batchId: string, link: HostLink, expanded: boolean, toggle: () => void): HTMLElement[] {
  const ref = { batchId, ticketId: row.id };
  const toggleButton = button(expanded ? '▾' : '▸', toggle, {
    className: 'icon toggle',
    attrs: { 'aria-expanded': String(expanded), 'aria-controls': `details-${row.id}`, 'aria-label': `${expanded ? 'Hide' : 'Show'} details of ${row.id}`, 'data-key': 'toggle' },
  });
  const idButton = button(row.id, () => link.post({ type: 'openTicket', ticketId: row.id }), { className: 'link', attrs: { 'aria-label': `Open ticket ${row.id}`, 'data-key': 'open' } });
  const p = row.progress;
  const progress = p ? [p.turn > 0 ? `turn ${p.turn} of ${p.maxTurns}` : '', p.tool ?? p.phase ?? ''].filter(Boolean).join(' · ') : '';
  // Beside the state: live progress, what it waits for, or why it stopped; the worker's own words stay under the title.
  const stopped = stoppedWithReason(row.lifecycle);
  const stateNote = progress || (row.waitingOn.length > 0 ? `after ${row.waitingOn.join(', ')}` : stopped ? row.detail : '');
  const t = row.tokens;
  const tokenTitle = `input ${t.input}, output ${t.output}, cache read ${t.cacheRead}, cache write ${t.cacheWrite} (total ${t.total})`;
  const measuredClasses = t.input + t.output + t.cacheRead + t.cacheWrite > 0;
  const cells = [
    td('id', [toggleButton, idButton]),
    td('title', [h('span', { className: 'ticket-title', text: row.title || '(no title recorded)' }), row.detail && !stopped ? h('div', { className: 'muted detail', text: row.detail, title: row.detail }) : null]),
    td('route', [h('span', { text: `${row.complexityClass} · ${row.tier ?? row.model}` }), h('div', { className: 'muted reason', text: row.reason, title: row.reason })]),
    td('engine', [row.engine ?? '–']),
    td('path', [h('div', { text: row.tierPath.join(' → ') }), h('div', { className: row.fixLoops > 0 ? 'loops' : 'muted loops', text: row.fixLoops === 1 ? '1 fix loop' : `${row.fixLoops} fix loops` })]),
    td('state', [
      h('span', { className: `badge state-${row.lifecycle}`, text: LIFECYCLE_LABELS[row.lifecycle], attrs: { 'data-state': row.lifecycle } }),
      stateNote ? h('div', { className: stopped ? 'reason-stopped progress' : 'muted progress', text: stateNote, title: stateNote }) : null,
    ]),
    td(
      'tokens num',
      measuredClasses
        ? [h('div', { text: `${formatTokens(t.input)} in · ${formatTokens(t.output)} out` }), h('div', { className: 'muted', text: `${formatTokens(t.cacheRead)} cache read · ${formatTokens(t.cacheWrite)} write` })]
        : [h('div', { text: t.total > 0 ? `${formatTokens(t.total)} total` : '–' })],
      tokenTitle,
    ),
    td('cost num', [formatUsd(row.costUsd)]),
    td(
      'gates',
      row.gates.length === 0
        ? ['–']
        : row.gates.map((g) =>
            button(`${GATE_MARKS[g.status] ?? '?'} ${g.name}`, () => link.post({ type: 'showGateOutput', ...ref, gate: g.name }), {
              className: `chip gate-${g.status}`,
              attrs: { 'aria-label': `${g.name} gate ${g.status}: show its output`, 'data-key': `gate:${g.name}` },
            }),
          ),
    ),
    td('review', row.review ? [h('span', { className: `verdict verdict-${row.review.result.toLowerCase()}`, text: `${row.review.level} · ${row.review.result}` }), row.review.findings > 0 ? h('div', { className: 'muted', text: `${row.review.findings} finding${row.review.findings === 1 ? '' : 's'}` }) : null, ] : ['–']),
    td(
      'actions',
      row.actions.map((action) =>
        button(ACTION_LABELS[action], () => link.post({ type: 'ticketAction', action, ...ref }), {
          className: action === 'accept' ? 'primary' : 'secondary',
          attrs: { 'aria-label': `${ACTION_LABELS[action]} ${row.id}`, 'data-action': action, 'data-key': `action:${action}` },
        }),
      ),
    ),
  ];
  // A narrow panel lays each row out as a card without the header row; the cells then say what they are.
  cells.forEach((cell, i) => cell.setAttribute('data-label', COLUMNS[i] ?? ''));
  return cells;
}

/** The expanded part of a row: the routing reason, the model, what it said, the files it changed. */
export function ticketDetails(row: TicketRow): HTMLElement {
  return h('div', { className: 'details-body' }, [
    h('dl', {}, [
      h('dt', { text: 'Model' }),
      h('dd', { text: row.model }),
      h('dt', { text: 'Why this tier' }),
      h('dd', { text: row.reason || '–' }),
      h('dt', { text: 'Last word' }),
      h('dd', { text: row.detail || '–' }),
      h('dt', { text: 'Score' }),
      h('dd', { text: row.score === null ? '–' : String(row.score) }),
    ]),
    row.files.length === 0
      ? h('p', { className: 'muted', text: 'No changed files recorded.' })
      : h(
          'ul',
          { className: 'files', attrs: { 'aria-label': `Files changed by ${row.id}` } },
          row.files.map((f) => h('li', {}, [h('code', { text: f.path }), h('span', { className: 'muted', text: ` +${f.added ?? '?'} −${f.deleted ?? '?'}` })])),
        ),
  ]);
}

function td(className: string, children: readonly (Node | string | null)[], title?: string): HTMLElement {
  return h('div', { className: `cell ${className}`, attrs: { role: 'cell' }, ...(title ? { title } : {}) }, children);
}
