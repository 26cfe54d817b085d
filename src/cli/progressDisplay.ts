import type { BatchEvent, BatchSummary, ReviewReport, TicketRecord } from '../core/batch/batchTypes';
import { planningLine } from '../core/batch/planningLine';
import type { CliIo } from './cliIo';
import { formatTokens, formatUsd } from '../core/vocabulary/amounts';
import { batchStateLabel } from '../core/vocabulary/batchStates';
import { LIFECYCLE_LABELS, lifecycleOf } from '../core/vocabulary/ticketStates';
import { table } from './textTable';

/**
 * What `flotilla run` shows while a batch runs. On a terminal: a table of tickets redrawn in place
 * (at most ten times a second). Piped: one line per change of a ticket's state. With --json: every
 * event as one JSON line (streamed model text left out), for machines.
 */
export class ProgressDisplay {
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly activity = new Map<string, string>();
  private drawnLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private costLine = '';

  constructor(private readonly io: CliIo, private readonly mode: 'live' | 'lines' | 'json', private readonly write: (text: string) => void = (t) => process.stdout.write(t)) {}

  onEvent(event: BatchEvent): void {
    if (this.mode === 'json') {
      if (event.type === 'worker' && event.event.kind === 'text') return;
      this.io.out(JSON.stringify(event.type === 'batch-finished' ? { type: event.type, state: event.state } : event));
      return;
    }
    switch (event.type) {
      case 'batch-started':
        for (const t of event.tickets) this.tickets.set(t.id, t);
        this.line(`batch ${event.batchId}${event.simulated ? ' (simulated)' : ''}: ${event.tickets.length} ticket${event.tickets.length === 1 ? '' : 's'}. ${planningLine(event.estimate, event.tickets.length)}${event.engine ? ` Worker engine: ${event.engine.name}.` : ''}`);
        break;
      case 'planning':
        // The header already said whether shared planning runs; only its progress is news.
        if (event.status !== 'skipped') this.line(`planning: ${PLANNING_STATUS[event.status]}${event.detail ? ` — ${event.detail}` : ''}`);
        break;
      case 'ticket-state': {
        const before = this.tickets.get(event.ticket.id);
        this.tickets.set(event.ticket.id, event.ticket);
        if (this.mode === 'lines' && before?.state !== event.ticket.state) this.io.out(`${event.ticket.id}: ${stateWords(event.ticket)} (${event.ticket.model}) ${event.ticket.detail} ${formatUsd(event.ticket.costUsd)}`);
        break;
      }
      case 'ticket-escalated':
        this.line(`${event.id}: escalated ${event.from} → ${event.to}: ${event.reason}`);
        break;
      case 'ticket-reviewed':
        if (!event.review.passed) this.line(`${event.id}: not accepted after run ${event.review.attempt} — ${event.review.summary}${failedGates(event.review)}${event.review.next ? `; next: ${event.review.next}` : ''}`);
        break;
      case 'worker':
        if (event.event.kind === 'tool') this.activity.set(event.id, `turn ${event.event.turn} · ${event.event.name} ${event.event.summary}`.trim());
        if (event.event.kind === 'phase') this.activity.set(event.id, event.event.message);
        break;
      case 'cost':
        this.costLine = `spent so far ${formatUsd(event.batchCostUsd)}, ${formatTokens(event.tokens)} tokens`;
        break;
      case 'batch-finished':
        this.stop();
        return;
    }
    this.schedule();
  }

  private line(text: string): void {
    if (this.mode === 'live') this.clear();
    this.io.out(text);
  }

  private schedule(): void {
    if (this.mode !== 'live' || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.draw();
    }, 100);
  }

  private clear(): void {
    if (this.drawnLines > 0) this.write(`\x1b[${this.drawnLines}A\x1b[J`);
    this.drawnLines = 0;
  }

  private draw(): void {
    this.clear();
    const rows = [...this.tickets.values()].map((t) => [t.id, stateWords(t), t.model, formatUsd(t.costUsd), (this.activity.get(t.id) ?? t.detail).slice(0, 60)]);
    const text = `${table(['ticket', 'state', 'model', 'cost', 'activity'], rows)}\n${this.costLine}\n`;
    this.write(text);
    this.drawnLines = text.split('\n').length - 1;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.mode === 'live') this.clear();
  }
}

/** A ticket's state in the words of the tree, the panel and `flotilla status` ("awaiting review", not "done"). */
function stateWords(ticket: Pick<TicketRecord, 'state'>): string {
  return LIFECYCLE_LABELS[lifecycleOf(ticket.state)];
}

const PLANNING_STATUS = { started: 'started', done: 'done', fallback: 'fell back to a plan without the model' } as const;

function failedGates(review: ReviewReport): string {
  const failed = review.gates.filter((g) => g.status !== 'pass' && g.status !== 'skipped');
  return failed.length ? ` (${failed.map((g) => `${g.name} ${g.exitCode === null ? g.status : `exit ${g.exitCode}`}`).join(', ')})` : '';
}

/** The closing report of a run: per ticket tier, reason, status, tokens, cost; totals vs the single-agent estimate. */
export function renderSummary(summary: BatchSummary): string {
  const rows = summary.tickets.map((t) => [
    t.id,
    t.tierHistory.map((h) => h.tier ?? h.model).join('→'),
    stateWords(t),
    String(t.fixLoops),
    t.review ? `${t.review.level} ${t.review.result}` : '—',
    formatTokens(t.tokens),
    formatUsd(t.costUsd),
    t.state === 'done' ? t.reason : t.detail,
  ]);
  const a = summary.analysis;
  const lines = [
    table(['ticket', 'tiers', 'status', 'fixes', 'review', 'tokens', 'cost', 'reason'], rows, 90),
    '',
    `batch ${summary.batchId} ${batchStateLabel(summary.state)}${summary.simulated ? ' (simulated)' : ''}, ${summary.mode} mode: ${summary.tickets.filter((t) => t.state === 'done').length}/${summary.tickets.length} tickets ${LIFECYCLE_LABELS.awaitingReview}`,
    `total ${formatUsd(summary.totals.costUsd)} for ${formatTokens(summary.totals.tokens)} tokens, ${Math.round(summary.totals.cacheReadShare * 100)}% of prompt tokens read from cache`,
    `vs single-agent estimate ${formatUsd(a.singleAgentEstimateUsd)}${a.savingsPct === null ? '' : ` (${a.savingsPct}% saved)`}; routing saved ${a.routingSavingsVsStrongPct === null ? '?' : `${a.routingSavingsVsStrongPct}%`} vs running everything on the strong tier`,
  ];
  if (summary.engine) lines.push(`worker engine: ${summary.engine.name} (${summary.engine.reason})`);
  if (summary.stopReason) lines.push(`stopped: ${summary.stopReason}${summary.stopNextStep ? ` Next step: ${summary.stopNextStep.terminal.replace(/\.$/, '')}.` : ''}`);
  if (summary.planning) lines.push(`shared planning: ${summary.planning.model}, ${formatTokens(summary.planning.tokens)} tokens, ${formatUsd(summary.planning.costUsd)} (${summary.planning.source} plan)`);
  return lines.join('\n');
}
