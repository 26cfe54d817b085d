import type { Lifecycle } from '../../../src/core/panel/panelSnapshot';

/** Dollars with enough digits that a cheap call is not shown as $0.00; "unknown" for an unpriced model. */
export function usd(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown';
  const abs = Math.abs(value);
  const sign = value < 0 ? '−' : '';
  if (abs === 0) return '$0.00';
  if (abs < 0.01) return `${sign}$${abs.toFixed(4)}`;
  if (abs < 1) return `${sign}$${abs.toFixed(3)}`;
  return `${sign}$${abs.toFixed(2)}`;
}

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function tokens(value: number): string {
  if (value < 1000) return String(value);
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}

export function pct(share: number | null | undefined, digits = 0): string {
  return share === null || share === undefined ? '–' : `${(share * 100).toFixed(digits)}%`;
}

/** 65_000 → "1:05", 3_720_000 → "1:02:00". */
export function duration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  const two = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "2026-11-02 09:00" in the viewer's time zone. */
export function dateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

const STATE_LABELS: Readonly<Record<string, string>> = {
  queued: 'queued',
  running: 'running',
  reviewing: 'reviewing',
  done: 'done',
  failed: 'failed',
  blocked: 'blocked',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  // Ticket lifecycles: the words of src/core/session/ticketLifecycle.ts (a unit test keeps them equal).
  awaitingReview: 'awaiting review',
  accepted: 'accepted',
  rejected: 'rejected',
  waiting: 'waiting',
  gates: 'gates and review',
  planning: 'planning',
  'stopped-by-budget': 'stopped by budget',
};

export function stateLabel(state: string): string {
  return STATE_LABELS[state] ?? state;
}

/** Whether a ticket's `detail` is the reason it stopped (shown beside its state, not under its title). */
export function stoppedWithReason(lifecycle: Lifecycle): boolean {
  return lifecycle === 'failed' || lifecycle === 'blocked' || lifecycle === 'cancelled' || lifecycle === 'interrupted';
}
