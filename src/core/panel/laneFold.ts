import type { Lane, Segment, SegmentKind } from './panelSnapshot';
import type { TicketLifecycle } from '../vocabulary/ticketStates';

/**
 * One ticket's lane of the timeline: consecutive segments (queued, waiting on a dependency, working
 * on a tier, gates, model review) on the batch's clock, in ms since the batch started. The last
 * segment stays open (`toMs: null`) until the next transition or a final state.
 */
export class LaneFold {
  private readonly segments: Segment[] = [];
  private ended: TicketLifecycle | null = null;

  constructor(readonly ticketId: string) {}

  get current(): Segment | undefined {
    const last = this.segments.at(-1);
    return last && last.toMs === null ? last : undefined;
  }

  /** Starts a segment at `atMs`, closing the open one; a segment of the same kind and tier just continues. */
  open(kind: SegmentKind, tier: string | null, atMs: number): boolean {
    const open = this.current;
    if (open && open.kind === kind && open.tier === tier) return false;
    this.close(atMs);
    this.ended = null;
    this.segments.push({ kind, tier, fromMs: Math.max(atMs, this.lastEnd()), toMs: null });
    return true;
  }

  /** Turns the open segment into another kind from its start (a dependency learned after the fact). */
  relabel(kind: SegmentKind): boolean {
    const open = this.current;
    if (!open || open.kind === kind) return false;
    this.segments[this.segments.length - 1] = { ...open, kind };
    return true;
  }

  close(atMs: number): void {
    const open = this.current;
    if (open) this.segments[this.segments.length - 1] = { ...open, toMs: Math.max(open.fromMs, atMs) };
  }

  finish(state: TicketLifecycle, atMs: number): boolean {
    if (this.ended === state && !this.current) return false;
    this.close(atMs);
    this.ended = state;
    return true;
  }

  /** A closed segment from stored times (a batch read back from storage). */
  add(kind: SegmentKind, tier: string | null, fromMs: number, toMs: number): void {
    this.segments.push({ kind, tier, fromMs: Math.max(0, fromMs), toMs: Math.max(0, fromMs, toMs) });
  }

  lane(): Lane {
    return { ticketId: this.ticketId, segments: this.segments.map((s) => ({ ...s })), end: this.ended };
  }

  private lastEnd(): number {
    return this.segments.at(-1)?.toMs ?? 0;
  }
}
