import type { TokenUsage } from '../llm/cost';
import type { TicketWorkerResult } from './runTicketWorker';
import type { WorkerEvent } from './workerEvents';
import { errorMessage } from '../errorText';
import { formatUsd } from '../vocabulary/amounts';

/** What a line is, so each front end can colour it its own way (ANSI in a terminal, CSS in a panel). */
export type WorkerLogStyle = 'phase' | 'turn' | 'text' | 'tool' | 'toolError' | 'usage' | 'done' | 'failed' | 'cancelled';

export interface WorkerLogLine {
  readonly style: WorkerLogStyle;
  /** One line of plain text: no line breaks, no control characters. */
  readonly text: string;
}

export type WorkerRunSummary = Pick<TicketWorkerResult, 'status' | 'reason' | 'turns' | 'costUsd' | 'usage' | 'commit' | 'branch' | 'diffStats'>;

/**
 * Turns a worker's events into readable log lines. Stateful only for the model's streamed text, which
 * arrives in fragments: whole lines are emitted as they complete, the rest when anything else happens.
 */
export class WorkerLogFormatter {
  private pendingText = '';

  format(event: WorkerEvent): WorkerLogLine[] {
    if (event.kind === 'text') return this.addText(event.delta);
    const lines = this.flush();
    switch (event.kind) {
      case 'phase':
        lines.push({ style: 'phase', text: `▸ ${clean(event.message)}` });
        break;
      case 'turn':
        lines.push({ style: 'turn', text: `turn ${event.turn} · ${clean(event.model)}` });
        break;
      case 'tool':
        lines.push({ style: 'tool', text: `→ ${clean(event.name)}${event.summary ? ` ${firstLine(event.summary)}` : ''}` });
        break;
      case 'tool_result':
        // Successful results are the model's business; only failures help a reader follow the run.
        if (event.isError) lines.push({ style: 'toolError', text: `✗ tool error in ${clean(event.name)}: ${firstLine(event.preview) || '(no message)'}` });
        break;
      case 'usage':
        lines.push({ style: 'usage', text: `${formatUsage(event.usage)} · ${turnCost(event.costUsd)} (total ${turnCost(event.totalCostUsd)})` });
        break;
    }
    return lines;
  }

  /** Whatever streamed text has not ended in a line break yet. */
  flush(): WorkerLogLine[] {
    const rest = this.pendingText;
    this.pendingText = '';
    return textLines(rest);
  }

  /** The last lines of a run: pending text, then the outcome. */
  finish(result: WorkerRunSummary, options: OutcomeOptions = {}): WorkerLogLine[] {
    return [...this.flush(), ...formatOutcome(result, options)];
  }

  private addText(delta: string): WorkerLogLine[] {
    this.pendingText += delta;
    const end = this.pendingText.lastIndexOf('\n');
    if (end < 0) return [];
    const complete = this.pendingText.slice(0, end);
    this.pendingText = this.pendingText.slice(end + 1);
    return textLines(complete);
  }
}

export interface OutcomeOptions {
  /**
   * Gates and a review judge the run next: its end is "worker finished", not "done", and the
   * verdict follows (src/core/worker/reviewLogLines.ts).
   */
  readonly reviewFollows?: boolean;
}

export function formatOutcome(result: WorkerRunSummary, options: OutcomeOptions = {}): WorkerLogLine[] {
  const cost = `${turnCost(result.costUsd)} · ${formatUsage(result.usage)}`;
  const turns = `${result.turns} turn${result.turns === 1 ? '' : 's'}`;
  const reason = firstLine(result.reason);
  if (result.status === 'done') {
    const files = result.diffStats.length;
    const commit = result.commit ? `commit ${result.commit.slice(0, 10)} on ${result.branch}` : `no new commit on ${result.branch}`;
    return [
      options.reviewFollows
        ? { style: 'phase', text: `▸ worker finished in ${turns} · ${commit} · ${files} file${files === 1 ? '' : 's'} changed` }
        : { style: 'done', text: `✓ done in ${turns} · ${commit} · ${files} file${files === 1 ? '' : 's'} changed` },
      { style: 'text', text: `  ${reason}` },
      { style: 'usage', text: `  ${cost}` },
    ];
  }
  const style = result.status === 'cancelled' ? 'cancelled' : 'failed';
  const mark = result.status === 'cancelled' ? '■ cancelled' : '✗ failed';
  return [
    { style, text: `${mark} after ${turns}: ${reason}` },
    { style: 'usage', text: `  ${cost}` },
  ];
}

/** For a run that threw instead of returning a result (a bug or a broken repository, not a model mistake). */
export function formatRunError(error: unknown): WorkerLogLine[] {
  const message = errorMessage(error);
  return [{ style: 'failed', text: `✗ the worker stopped with an error: ${firstLine(message) || '(no message)'}` }];
}

/** Task exit codes: 0 done, 1 failed, 130 cancelled (what a shell reports for Ctrl+C). */
export function exitCodeFor(status: TicketWorkerResult['status']): number {
  return status === 'done' ? 0 : status === 'cancelled' ? 130 : 1;
}

/** The token classes of a turn or a run, each counted in full: the terminal is where the exact figures are read. */
export function formatUsage(usage: TokenUsage): string {
  const cacheWrite = usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
  return `tokens in ${count(usage.inputTokens)} · out ${count(usage.outputTokens)} · cache read ${count(usage.cacheReadTokens)} · cache write ${count(cacheWrite)}`;
}

/** null means the model has no known price: said once in words, never guessed. */
function turnCost(usd: number | null): string {
  return usd === null ? 'cost unknown (no price for this model)' : formatUsd(usd);
}

const count = (n: number): string => n.toLocaleString('en-US');

// Terminal escape sequences first (so their parameters go too), then every other control character.
// Model output and tool previews are untrusted: they must not move the cursor, retitle or clear the
// terminal.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Strips what a terminal would interpret; tabs become spaces, line breaks stay for the caller to split on. */
export function clean(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(/\t/g, '  ').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

function firstLine(text: string): string {
  return clean(text).split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
}

function textLines(text: string): WorkerLogLine[] {
  return clean(text)
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => ({ style: 'text', text: `  ${line.trimEnd()}` }));
}

const ANSI: Readonly<Record<WorkerLogStyle, string>> = {
  phase: '\u001b[36m', // cyan
  turn: '\u001b[1m', // bold
  text: '\u001b[2m', // dim: the model's own words
  tool: '\u001b[34m', // blue
  toolError: '\u001b[31m', // red
  usage: '\u001b[90m', // grey
  done: '\u001b[1;32m',
  failed: '\u001b[1;31m',
  cancelled: '\u001b[1;33m',
};

/** One line for a terminal: coloured, reset, and ended with \r\n (a pseudoterminal does no newline translation). */
export function ansiLine(line: WorkerLogLine): string {
  return `${ANSI[line.style]}${line.text}\u001b[0m\r\n`;
}
