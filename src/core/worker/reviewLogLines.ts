import type { GateReport, ReviewReport } from '../batch/batchTypes';
import { clean, type WorkerLogLine } from './workerLogFormat';

/**
 * The gates' and reviewers' verdict on one worker run, as lines for that run's terminal: each gate
 * with its status, the end of a failing gate's output, then one line saying what happens next. A run
 * whose gates fail must not read as a green "done".
 */
export function formatReviewReport(review: ReviewReport): WorkerLogLine[] {
  const lines: WorkerLogLine[] = [{ style: 'phase', text: `▸ gates and review (${review.level} level)` }];
  if (review.gates.length === 0) lines.push({ style: 'usage', text: '  no command gate ran at this level' });
  for (const gate of review.gates) lines.push(...gateLines(gate));
  if (review.findings > 0) lines.push({ style: 'text', text: `  ${review.findings} review finding${review.findings === 1 ? '' : 's'} (shown on their lines when you review the ticket)` });
  if (review.passed) {
    lines.push({ style: 'done', text: `✓ passed: ${oneLine(review.summary)}` });
  } else {
    lines.push({ style: 'failed', text: `✗ not accepted: ${oneLine(review.summary)}` });
    if (review.next) lines.push({ style: 'failed', text: `  next: ${oneLine(review.next)}` });
  }
  return lines;
}

/** For a ticket whose review did not finish (cancelled, or the review call failed and will be retried). */
export function formatReviewInterrupted(reason: string): WorkerLogLine[] {
  return [{ style: 'cancelled', text: `■ the review did not finish: ${oneLine(reason)}` }];
}

function gateLines(gate: GateReport): WorkerLogLine[] {
  const seconds = `${(gate.durationMs / 1000).toFixed(1)} s`;
  const command = gate.command === null ? '' : ` · ${oneLine(gate.command)}`;
  if (gate.status === 'pass') return [{ style: 'text', text: `  ✓ ${gate.name} passed · ${seconds}${command}` }];
  if (gate.status === 'skipped') return [{ style: 'usage', text: `  – ${gate.name} skipped${gate.reason ? `: ${oneLine(gate.reason)}` : ''}` }];
  const how = gate.status === 'timeout' ? 'timed out' : gate.status === 'cancelled' ? 'was cancelled' : `failed${gate.exitCode === null ? '' : ` (exit ${gate.exitCode})`}`;
  const lines: WorkerLogLine[] = [{ style: 'toolError', text: `  ✗ ${gate.name} ${how} · ${seconds}${command}` }];
  for (const line of clean(gate.outputTail).split('\n')) if (line.trim()) lines.push({ style: 'usage', text: `    │ ${line.trimEnd()}` });
  return lines;
}

function oneLine(text: string): string {
  return clean(text).replace(/\s*\n\s*/g, ' ').trim();
}
