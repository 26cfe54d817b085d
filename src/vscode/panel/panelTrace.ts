import type { HostMessage } from '../../core/panel/panelProtocol';
import type { TicketRunState } from '../../core/vocabulary/ticketStates';

/** One message the host posted, as the integration suites read it. */
export interface PostedMessage {
  readonly type: HostMessage['type'];
  readonly rev: number;
  readonly rows: readonly { readonly id: string; readonly state: TicketRunState }[];
}

/** Enough for a long batch at 10 updates a second; older entries are dropped. */
const MAX_POSTED = 5000;

/**
 * What went over the wire of one panel: the handshake, the revisions posted and acknowledged, the
 * row states each message carried. Cheap to keep; read only through the test API.
 */
export class PanelTrace {
  handshake: number | undefined = undefined;
  applied: number | undefined = undefined;
  rejected = 0;
  readonly received: string[] = [];
  readonly posted: PostedMessage[] = [];

  record(message: HostMessage): void {
    const rows = message.type === 'snapshot' ? (message.snapshot.current?.rows ?? []) : message.rows;
    this.posted.push({ type: message.type, rev: message.rev, rows: rows.map((r) => ({ id: r.id, state: r.state })) });
    if (this.posted.length > MAX_POSTED) this.posted.splice(0, this.posted.length - MAX_POSTED);
  }

  get lastPosted(): number | undefined {
    return this.posted.at(-1)?.rev;
  }
}
