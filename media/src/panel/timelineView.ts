import type { Lane, Segment, TimelineFrame } from '../../../src/core/panel/panelSnapshot';
import { h, replaceChildren, svg } from './dom';
import { LIFECYCLE_LABELS } from '../../../src/core/vocabulary/ticketStates';
import { duration } from './format';

/** Pixels per lane and between lanes; the SVG is as tall as its lanes, and stretches to the width. */
const LANE = 16;
const PITCH = 22;
const MIN_SPAN_MS = 10_000;

const KIND_LABELS: Readonly<Record<Segment['kind'], string>> = {
  queued: 'queued',
  waiting: 'waiting on a dependency',
  working: 'working',
  gates: 'gates',
  review: 'model review',
};

interface OpenRect {
  readonly rect: SVGRectElement;
  readonly fromMs: number;
}

/**
 * One lane per ticket over the batch's time. The SVG's x axis is in milliseconds (its viewBox is as
 * wide as the batch is long), so the clock moving on changes one attribute and the open segments'
 * widths, not every rectangle.
 */
export class TimelineView {
  readonly element = h('div', { className: 'timeline' });
  private plot: SVGSVGElement | null = null;
  private axis: HTMLElement | null = null;
  private readonly groups = new Map<string, SVGGElement>();
  private readonly open = new Map<string, OpenRect[]>();
  private planningOpen: OpenRect[] = [];
  private spanMs = MIN_SPAN_MS;
  private height = 0;

  render(frame: TimelineFrame, lanes: readonly Lane[]): void {
    this.groups.clear();
    this.open.clear();
    const rows = (frame.planning ? 1 : 0) + lanes.length;
    this.height = Math.max(PITCH, rows * PITCH);
    this.plot = svg('svg', { class: 'plot', preserveAspectRatio: 'none', height: this.height, width: '100%', role: 'img', 'aria-label': `Timeline of ${lanes.length} tickets` });
    this.axis = h('div', { className: 'axis', attrs: { 'aria-hidden': 'true' } });
    const labels = h('div', { className: 'labels', attrs: { 'aria-hidden': 'true' } });
    let y = 0;
    if (frame.planning) {
      labels.appendChild(h('div', { className: 'label', text: 'plan' }));
      const group = svg('g');
      const rect = this.rect('seg seg-planning', frame.planning.fromMs, frame.planning.toMs, y, 'shared planning');
      this.planningOpen = frame.planning.toMs === null ? [{ rect, fromMs: frame.planning.fromMs }] : [];
      group.appendChild(rect);
      this.plot.appendChild(group);
      y += PITCH;
    }
    for (const lane of lanes) {
      labels.appendChild(h('div', { className: `label end-${lane.end ?? 'open'}`, text: lane.ticketId, title: lane.end ? `${lane.ticketId}: ${LIFECYCLE_LABELS[lane.end]}` : lane.ticketId }));
      const group = svg('g', { 'data-lane': lane.ticketId });
      this.groups.set(lane.ticketId, group);
      this.plot.appendChild(group);
      this.drawLane(lane, group, y);
      y += PITCH;
    }
    replaceChildren(this.element, [
      legend(),
      h('div', { className: 'timeline-grid' }, [h('div', { className: 'labels-col' }, [h('div', { className: 'axis-spacer' }), labels]), h('div', { className: 'plot-col' }, [this.axis, this.plot])]),
      frame.note ? h('p', { className: 'muted note', text: frame.note }) : null,
    ]);
    this.spanMs = MIN_SPAN_MS;
    this.tick(frame.nowMs, !this.anyOpen());
  }

  /** Redraws the lanes an update carries; new lanes need a full render (rows were added). */
  update(frame: TimelineFrame, changed: readonly Lane[], all: readonly Lane[]): void {
    if (!this.plot || changed.some((l) => !this.groups.has(l.ticketId)) || (frame.planning !== null) !== this.hasPlanningRow()) {
      this.render(frame, all);
      return;
    }
    for (const lane of changed) {
      const group = this.groups.get(lane.ticketId) as SVGGElement;
      const index = all.findIndex((l) => l.ticketId === lane.ticketId);
      group.replaceChildren();
      this.drawLane(lane, group, ((frame.planning ? 1 : 0) + index) * PITCH);
      const label = this.element.querySelectorAll('.labels .label')[(frame.planning ? 1 : 0) + index];
      if (label) label.className = `label end-${lane.end ?? 'open'}`;
    }
    if (frame.planning && this.planningOpen.length > 0 && frame.planning.toMs !== null) {
      for (const o of this.planningOpen) o.rect.setAttribute('width', String(Math.max(0, frame.planning.toMs - o.fromMs)));
      this.planningOpen = [];
    }
    this.tick(frame.nowMs, !this.anyOpen());
  }

  /** A finished batch fills the axis exactly; a running one leaves room to grow. */
  private anyOpen(): boolean {
    return this.planningOpen.length > 0 || [...this.open.values()].some((o) => o.length > 0);
  }

  /**
   * Time moves on: open segments grow to now. The axis only rescales when now passes its end (then to
   * a quarter more), so its labels hold still and most ticks touch only the open segments.
   */
  tick(nowMs: number, final = false): void {
    if (!this.plot) return;
    for (const o of [...this.planningOpen, ...[...this.open.values()].flat()]) o.rect.setAttribute('width', String(Math.max(0, nowMs - o.fromMs)));
    const span = final ? Math.max(MIN_SPAN_MS, nowMs) : nowMs <= this.spanMs && this.plot.hasAttribute('viewBox') ? this.spanMs : Math.max(MIN_SPAN_MS, niceCeil(nowMs * 1.25));
    if (span === this.spanMs && this.plot.hasAttribute('viewBox')) return;
    this.spanMs = span;
    this.plot.setAttribute('viewBox', `0 0 ${this.spanMs} ${this.height}`);
    if (this.axis) {
      replaceChildren(
        this.axis,
        [0, 0.25, 0.5, 0.75, 1].map((f) => {
          const tick = h('span', { className: 'tick', text: duration(this.spanMs * f) });
          tick.style.left = `${f * 100}%`;
          return tick;
        }),
      );
    }
  }

  private hasPlanningRow(): boolean {
    return this.element.querySelector('.labels .label')?.textContent === 'plan';
  }

  private drawLane(lane: Lane, group: SVGGElement, y: number): void {
    const open: OpenRect[] = [];
    for (const s of lane.segments) {
      const kind = s.kind === 'working' ? `seg seg-working tier-${s.tier ?? 'model'}` : `seg seg-${s.kind}`;
      const what = s.kind === 'working' ? `working on ${s.tier ?? 'a picked model'}` : KIND_LABELS[s.kind];
      const rect = this.rect(kind, s.fromMs, s.toMs, y, `${lane.ticketId}: ${what}`);
      if (s.toMs === null) open.push({ rect, fromMs: s.fromMs });
      group.appendChild(rect);
    }
    this.open.set(lane.ticketId, open);
  }

  private rect(className: string, fromMs: number, toMs: number | null, y: number, what: string): SVGRectElement {
    const to = toMs ?? this.spanMs;
    const title = svg('title');
    title.textContent = `${what} · ${duration(fromMs)} → ${toMs === null ? 'now' : duration(toMs)} (${duration(to - fromMs)})`;
    return svg('rect', { class: className, x: fromMs, y: y + (PITCH - LANE) / 2, width: Math.max(0, to - fromMs), height: LANE }, [title]);
  }
}

/** The next round number at or above `ms`: 1, 2 or 5 times a power of ten. */
function niceCeil(ms: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, ms)));
  return ([1, 2, 5, 10].map((m) => m * power).find((v) => v >= ms) ?? 10 * power);
}

function legend(): HTMLElement {
  const item = (className: string, label: string) => h('span', { className: 'legend-item' }, [h('span', { className: `swatch ${className}`, attrs: { 'aria-hidden': 'true' } }), label]);
  return h('div', { className: 'legend' }, [
    item('seg-queued', 'queued'),
    item('seg-waiting', 'waiting on a dependency'),
    item('tier-fast', 'working: fast'),
    item('tier-balanced', 'working: balanced'),
    item('tier-strong', 'working: strong'),
    item('seg-gates', 'gates'),
    item('seg-review', 'model review'),
    item('seg-planning', 'shared planning'),
  ]);
}
